using CoPriv.Models.Tensors;

namespace CoPriv.Models.Inputs;

/// <summary>An image the client feeds to a model (normalised), where it came from, and its label when the file has one.</summary>
public sealed record InputImage(Tensor Image, string Source, int? Label);
