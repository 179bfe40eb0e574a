namespace CoPriv.Models.Inputs;

/// <summary>
/// The two CIFAR binary formats: CIFAR-10 rows are 1 label byte + 3,072 pixel bytes; CIFAR-100 rows are a coarse
/// label byte, a fine label byte and 3,072 pixel bytes. Pixels are 32×32, planar R, G, B.
/// </summary>
public enum CifarDataset
{
    Cifar10,
    Cifar100,
}
