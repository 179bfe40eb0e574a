namespace CoPriv.Models.Zoo;

/// <summary>
/// How to instantiate a zoo model. <see cref="WidthMultiplier"/> scales every channel count (at least 1 channel),
/// for fast tests on reduced-width variants; <see cref="Classes"/> overrides the dataset's class count;
/// <see cref="CalibrationSamples"/> is the number of seeded random inputs used to set BatchNorm running statistics
/// and centre and scale the classifier (null: the model's default; 0: drawn statistics and classifier as drawn, no
/// float run — enough for cost prediction).
/// </summary>
public sealed record ZooOptions(ulong Seed = 1, double WidthMultiplier = 1.0, int? Classes = null, int? CalibrationSamples = null)
{
    public static ZooOptions Default { get; } = new();

    internal int Width(int channels)
    {
        if (!(WidthMultiplier > 0))
            throw new ArgumentException($"width multiplier must be positive, got {WidthMultiplier}");
        return Math.Max(1, (int)Math.Round(channels * WidthMultiplier, MidpointRounding.AwayFromZero));
    }
}
