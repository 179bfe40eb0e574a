using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Execution;

/// <summary>
/// Runs a <see cref="ModelGraph"/> in double precision: the plaintext meaning of the model, against which the
/// fixed-point reference and ONNX Runtime are compared. Not part of the secure run.
/// </summary>
public static class FloatExecutor
{
    /// <summary>The model output (logits) for one input.</summary>
    public static Tensor Run(ModelGraph graph, Tensor input) => RunAll(graph, input)[graph.OutputName];

    /// <summary>Every tensor of the graph (the input and each node's output) for one input.</summary>
    public static IReadOnlyDictionary<string, Tensor> RunAll(ModelGraph graph, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape != graph.InputShape)
            throw new ArgumentException($"model '{graph.Name}' takes an input of shape {graph.InputShape}, got {input.Shape}", nameof(input));
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [graph.InputName] = input };
        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(i => values[i]).ToArray();
            values[node.Output] = FloatKernels.Evaluate(node.Operator, inputs, graph.ShapeOf(node.Output));
        }
        return values;
    }
}
