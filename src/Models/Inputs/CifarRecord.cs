namespace CoPriv.Models.Inputs;

/// <summary>One CIFAR image with its label (the fine label for CIFAR-100, whose coarse label is kept too).</summary>
public sealed record CifarRecord(int Index, int Label, int? CoarseLabel, RgbImage Image);
