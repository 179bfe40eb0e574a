using CoPriv.Models.Zoo;

namespace CoPriv.Models.Sources;

/// <summary>Resolves the model a run spec names: a zoo name (any case), else the path of an ONNX file.</summary>
public static class ModelSources
{
    /// <exception cref="ArgumentException">Neither a zoo name nor a path that looks like a model file.</exception>
    /// <exception cref="FileNotFoundException">A model file path that does not exist.</exception>
    /// <exception cref="Onnx.OnnxFormatException">The file is not an ONNX model CoPriv runs.</exception>
    public static IModelSource Resolve(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var zoo = ModelZoo.Models.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase));
        if (zoo is not null) return zoo;
        if (IsFilePath(model)) return OnnxModel.Load(model);
        throw new ArgumentException($"unknown model '{model}'; known models: {string.Join(", ", ModelZoo.Names)}, or the path of an .onnx file");
    }

    /// <summary>True when <paramref name="model"/> names a file rather than a zoo model: an .onnx name, a path, or an existing file.</summary>
    public static bool IsFilePath(string model) =>
        model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
        || model.Contains(Path.DirectorySeparatorChar) || model.Contains(Path.AltDirectorySeparatorChar)
        || File.Exists(model);
}
