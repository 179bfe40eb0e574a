using CoPriv.Inference.Planning;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// A linear operation on shares: one <see cref="LinearLayerProtocol"/> per run, whose OTs on the client's mask are the
/// pre-processing (run inline just before the online part, or ahead with every other layer's) and whose online part
/// re-shares the input against the mask; the server then adds its public offsets (bias, shift) to its share.
/// </summary>
internal abstract class SecureLinearOperation(RingOperation operation, SecureInferencePolicy policy, string layerName)
    : SecureOperation(operation, policy, layerName)
{
    /// <summary>A fresh layer protocol for one party (the server's with its operand).</summary>
    private protected abstract LinearLayerProtocol Layer(PartyRole role);

    /// <summary>The layer's input share as its protocol takes it (a convolution pads it).</summary>
    private protected virtual ulong[] LayerInput(ulong[] input) => input;

    /// <summary>The server's public offsets, added to its output share (nothing by default).</summary>
    private protected virtual void AddServerOffsets(ulong[] output) { }

    public sealed override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs) => Run(ctx, inputs, Preprocess(ctx));

    /// <summary>The layer's OTs on a fresh mask (traffic booked as pre-processing); returns the layer, ready for its online part.</summary>
    public sealed override object Preprocess(PartyContext ctx)
    {
        var layer = Layer(ctx.Role);
        layer.Preprocess(ctx);
        return layer;
    }

    public sealed override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs, object? prepared)
    {
        var layer = prepared as LinearLayerProtocol
            ?? throw new ArgumentException($"operation '{Operation.Name}' runs on the layer its pre-processing returned", nameof(prepared));
        var output = layer.Online(ctx, LayerInput(inputs[0])).Share;
        if (ctx.Role == PartyRole.Server) AddServerOffsets(output);
        return output;
    }

    public sealed override long HeldBytes(object prepared) => ((LinearLayerProtocol)prepared).HeldBytes;
}
