using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>
/// Replaces what an activation node (ReLU or ReLU6) of a <see cref="TorchGraphModule"/> outputs: the gates of the
/// search, fixed linearizations of the fine-tuning, SNL's channel masks. Called in every forward pass with the node's
/// input x and its activation σ(x); returns the node's output.
/// </summary>
public interface IActivationRewrite
{
    Tensor Apply(string node, Tensor input, Tensor activated);
}
