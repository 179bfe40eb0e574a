using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// The built-in models, each with seeded, realistic default weights (He initialisation, calibrated BatchNorm
/// statistics and classifier). The server instantiates one to hold its weights; both parties can read the architecture and its
/// statistics.
/// </summary>
public static class ModelZoo
{
    private static readonly TensorShape Cifar = TensorShape.FeatureMap(3, 32, 32);

    public static IReadOnlyList<ZooModel> Models { get; } =
    [
        new("resnet32-sci",
            "ResNet-32 for CIFAR-100 as SCI/Delphi run it: 16/32/64 channels, 3 stages × 5 basic blocks, conv bias + BatchNorm, 1×1 projection shortcuts at the 3 stage changes, 8×8 avg-pool, FC 64→100.",
            "CIFAR-100", Cifar, 100, 4, ResNetCifar.Sci),
        new("resnet32",
            "ResNet-32 for CIFAR-100 as in He et al.: 16/32/64 channels, 3 stages × 5 basic blocks, parameter-free zero-padding (option A) shortcuts, no 1×1 convs, global avg-pool, FC 64→100.",
            "CIFAR-100", Cifar, 100, 4, ResNetCifar.HeEtAl),
        new("resnet18",
            "ResNet-18 for CIFAR-100 (32×32 variant: 3×3 stem, no max-pool), 4 stages × 2 basic blocks of 64–512 channels, 1×1 projection shortcuts, global avg-pool, FC 512→100.",
            "CIFAR-100", Cifar, 100, 4, ResNetCifar.ResNet18),
        new("mobilenetv2",
            "MobileNetV2 for CIFAR-100 (32×32 variant: stride-1 stem and 24-channel stage), inverted residuals with ReLU6 and linear bottlenecks, 1×1 conv to 1280, global avg-pool, FC 1280→100.",
            "CIFAR-100", Cifar, 100, 4, MobileNetV2Cifar.Build),
        new("minionn",
            "MiniONN's CIFAR-10 network as in SCI: 7 convs (3×3 and 1×1, 64/16 channels, bias, ReLU), two 2×2 mean pools, FC 1024→10; no BatchNorm.",
            "CIFAR-10", Cifar, 10, 4, MiniOnnCifar.Build),
        new("resnet50",
            "ResNet-50 for ImageNet (224×224, torchvision v1.5 bottlenecks with 1×1 projections, 3×3/2 max-pool), FC 2048→1000; drawn BatchNorm statistics, meant for cost prediction.",
            "ImageNet", TensorShape.FeatureMap(3, 224, 224), 1000, 0, ResNet50ImageNet.Build),
    ];

    public static IEnumerable<string> Names => Models.Select(m => m.Name);

    public static ZooModel Get(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}");

    /// <summary>Builds a zoo model with seeded weights.</summary>
    public static ModelGraph Create(string name, ZooOptions? options = null) => Get(name).Create(options);
}
