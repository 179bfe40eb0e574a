namespace CoPriv.Protocols.NonLinear;

/// <summary>How ReLU multiplies x by its DReLU bit: both forms use one OT per direction.</summary>
public enum ReluVariant
{
    /// <summary>
    /// Two chosen-message OTs with ℓ-bit messages, as SCI does: Mill(ℓ − 1) + 2(λ + 2ℓ) bits (4,316 at ℓ = 32,
    /// 5,372 at ℓ = 41).
    /// </summary>
    ChosenMessageOt,

    /// <summary>The correlated-OT multiplexer: Mill(ℓ − 1) + 2(λ + ℓ) bits (4,252 at ℓ = 32).</summary>
    CorrelatedOtMultiplexer,
}
