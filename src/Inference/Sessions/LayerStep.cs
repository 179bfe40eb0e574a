using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Sessions;

/// <summary>A step made of a name and a delegate; the quickest way to write small plans and tests.</summary>
public sealed class LayerStep(string name, Action<LayerStepContext> run, CommunicationCost? predicted = null) : ILayerStep
{
    public string Name { get; } = LayerNames.CheckStepName(name);

    public CommunicationCost? Predicted { get; } = predicted;

    public void Run(LayerStepContext context) => run(context);

    public override string ToString() => Name;
}
