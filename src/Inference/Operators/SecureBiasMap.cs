using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Operators;

/// <summary>
/// A position-dependent bias on shares (<see cref="RingBiasMap"/>): the server adds its constant, encoded at the
/// tensor's scale, to its share; the client passes its share on unchanged. The shares then add up to in + B. No
/// communication; the client learns nothing of B (its program holds zeros there), only B's shape, which the plan shows.
/// </summary>
internal sealed class SecureBiasMap : SecureOperation
{
    private readonly RingBiasMap _map;

    public SecureBiasMap(RingBiasMap map, SecureInferencePolicy policy, string layerName) : base(map, policy, layerName)
    {
        _map = map;
    }

    public override string OperatorName => "biasmap";
    public override OperatorCategory Category => OperatorCategory.Local;
    public override string Protocol => "local (server adds its constant)";
    public override CommunicationCost Cost => CommunicationCost.Zero;

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var y = new ulong[_map.OutputShape.ElementCount];
        if (ctx.Role == PartyRole.Server) Ring.Add(inputs[0], _map.Values, y);
        else inputs[0].CopyTo(y, 0);
        return y;
    }
}
