using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Sources;

/// <summary>
/// A model from an ONNX file (a server's trained or optimized network), or the public architecture of one that a
/// server sent (<see cref="FromArchitecture"/>, zero weights). Its channel counts are fixed: only width 1 exists. The
/// dataset comes from the file's metadata (<see cref="OnnxExporter.DatasetKey"/>) or, without it, from the input and
/// output sizes of the usual datasets (3×32×32 with 10 or 100 classes: CIFAR; 3×224×224 with 1000: ImageNet).
/// </summary>
public sealed class OnnxModel : IModelSource
{
    private readonly ModelGraph _graph;

    private OnnxModel(string name, ModelGraph graph, string? dataset)
    {
        Name = name;
        _graph = graph;
        Dataset = dataset ?? DatasetOf(graph.InputShape, graph.OutputShape.ElementCount);
    }

    /// <summary>Reads the model file at <paramref name="path"/> with its weights.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="OnnxFormatException">Not an ONNX model CoPriv runs; the message names the node and what is supported.</exception>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' does not exist", path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxFormatException($"cannot read model file '{path}': {e.Message}", e);
        }
        var (graph, dataset) = Wrap(path, () => OnnxImporter.ImportWithMetadata(bytes));
        return new OnnxModel(path, graph, dataset);
    }

    /// <summary>The architecture a server sent for the model it serves under <paramref name="name"/>: zero weights.</summary>
    public static OnnxModel FromArchitecture(string name, byte[] architecture)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(architecture);
        var (graph, dataset) = Wrap(name, () => OnnxImporter.ImportArchitecture(architecture));
        return new OnnxModel(name, graph, dataset);
    }

    public string Name { get; }

    public string Description => _graph.Description;

    public string? Dataset { get; }

    public TensorShape InputShape => _graph.InputShape;

    public int Classes => _graph.OutputShape.ElementCount;

    /// <summary>The file's model; the seed and calibration options do not apply to trained weights.</summary>
    public ModelGraph Create(ZooOptions? options = null) => Architecture(options?.WidthMultiplier ?? 1.0);

    public ModelGraph Architecture(double width = 1.0)
    {
        if (width != 1.0)
            throw new ArgumentException($"--width applies to zoo models; '{Name}' is a model file whose channel counts are fixed (width 1)");
        return _graph;
    }

    /// <summary>The architecture a server sends a client: <see cref="OnnxExporter.ExportArchitecture"/> with the dataset.</summary>
    public byte[] ArchitectureBytes() => OnnxExporter.ExportArchitecture(_graph, Dataset);

    private static string? DatasetOf(TensorShape input, int classes) => (input.Dimensions.ToArray(), classes) switch
    {
        ([3, 32, 32], 10) => "CIFAR-10",
        ([3, 32, 32], 100) => "CIFAR-100",
        ([3, 224, 224], 1000) => "ImageNet",
        _ => null,
    };

    // A graph that imports but does not validate (a shape mismatch) is as much a bad file as a parse error: name the file.
    private static T Wrap<T>(string source, Func<T> import)
    {
        try
        {
            return import();
        }
        catch (OnnxFormatException e)
        {
            throw new OnnxFormatException($"model '{source}': {e.Message}", e);
        }
        catch (InvalidModelException e)
        {
            throw new OnnxFormatException($"model '{source}': {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($"model '{source}': {e.Message}", e);
        }
    }
}
