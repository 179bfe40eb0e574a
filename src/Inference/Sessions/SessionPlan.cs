using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// One party's program for one session: the ordered steps and, once they have all run, the party's result (the
/// client's prediction, say). A plan is built per session, so its steps may share state through the plan's objects.
/// Its <see cref="Meter"/> (when given) is the one the party's channel counts into, so the caller can hand it to
/// <c>CommunicationCost.Measured</c> after the session.
/// </summary>
public sealed class SessionPlan
{
    private readonly Func<object?> _result;

    public SessionPlan(IEnumerable<ILayerStep> steps, Func<object?>? result = null, TrafficMeter? meter = null)
    {
        Meter = meter;
        Steps = steps.ToArray();
        if (Steps.Count == 0) throw new ArgumentException("a session plan needs at least one step", nameof(steps));
        foreach (var step in Steps) LayerNames.CheckStepName(step.Name);
        _result = result ?? (() => null);
    }

    public IReadOnlyList<ILayerStep> Steps { get; }

    /// <summary>The meter of this party's channel end; a fresh one per session when null.</summary>
    public TrafficMeter? Meter { get; }

    public IReadOnlyList<string> StepNames => Steps.Select(s => s.Name).ToArray();

    /// <summary>The party's result; read once after the last step.</summary>
    public object? Result() => _result();
}
