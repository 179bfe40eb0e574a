namespace CoPriv.Models.Onnx;

/// <summary>
/// An ONNX file CoPriv cannot read: not a protobuf model, a missing graph, an unsupported operator (named with its
/// node) or attribute, or an initializer whose data does not match its dimensions.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    public OnnxFormatException(string message) : base(message) { }
    public OnnxFormatException(string message, Exception inner) : base(message, inner) { }
}
