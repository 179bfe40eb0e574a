using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = CoPriv.Models.Tensors.Tensor;

namespace CoPriv.Models.Tests;

/// <summary>ONNX Runtime running a model exported by CoPriv: the independent engine the tests compare against.</summary>
internal sealed class OnnxRuntimeOracle : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly TensorShape _shape;

    public OnnxRuntimeOracle(ModelGraph graph) : this(OnnxExporter.Export(graph), graph.InputName, graph.InputShape) { }

    public OnnxRuntimeOracle(byte[] model, string input, TensorShape shape)
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model, options);
        _input = input;
        _shape = shape;
    }

    public float[] Run(Tensor image)
    {
        var data = image.Data.Select(v => (float)v).ToArray();
        var tensor = new DenseTensor<float>(data, [1, .. _shape.Dimensions]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)]);
        return results.First().AsTensor<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
