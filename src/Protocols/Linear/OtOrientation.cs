namespace CoPriv.Protocols.Linear;

/// <summary>
/// Which party is the correlated-OT receiver in an OT matrix product C = A·B (A the server's, B shared).
/// </summary>
public enum OtOrientation
{
    /// <summary>
    /// CrypTFlow2: the client chooses with the ℓ bits of each entry of its share of B; the server sends a column of A
    /// per OT. Costs D2·D3·Σ_k(λ + D1(ℓ−k)).
    /// </summary>
    ClientReceives,

    /// <summary>
    /// Swapped: the server chooses with the ℓ bits of each entry of A; the client sends a row of its share of B per
    /// OT. Costs D1·D2·Σ_k(λ + D3(ℓ−k)).
    /// </summary>
    ServerReceives,
}

/// <summary>How a layer picks the orientation of each of its OT matrix products.</summary>
public enum OrientationPolicy
{
    /// <summary>Always <see cref="OtOrientation.ClientReceives"/> (CrypTFlow2's inference mode).</summary>
    ClientReceives,

    /// <summary>Always <see cref="OtOrientation.ServerReceives"/>.</summary>
    ServerReceives,

    /// <summary>
    /// "DNN-aware" (CoPriv): per product, whichever orientation the cost model says sends fewer bytes; the
    /// cubic term is the same, so this is the one whose λ term (D2·D3 versus D1·D2 OTs) is smaller. Ties go to the
    /// client.
    /// </summary>
    Cheaper,
}
