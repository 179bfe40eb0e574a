namespace CoPriv.Protocols.Ot;

/// <summary>
/// Which correlated-OT backend a session's OTs are derived from, chosen by name ("iknp", "ferret"). Both parties must pick the
/// same one (a mismatch fails at setup on the wire version); neither learns anything from the choice. The protocols
/// do not see it: they call <see cref="IOtSender"/>/<see cref="IOtReceiver"/>, and their cost functions read
/// <see cref="Costs"/>.
/// </summary>
public sealed class OtBackend
{
    /// <summary>IKNP extension of Chou–Orlandi base OTs (CrypTFlow2's, and the default).</summary>
    public static OtBackend Iknp { get; } = new("iknp", IknpCotBackend.Instance);

    /// <summary>Ferret silent OT (primal LPN, emp-ot's ferret_b13 parameters) bootstrapped by IKNP: one bit per OT.</summary>
    public static OtBackend Ferret { get; } = new("ferret", FerretCotBackend.Secure);

    /// <summary>Ferret with tiny, insecure parameters, for tests that must run many batches quickly; never parsed.</summary>
    internal static OtBackend FerretTest { get; } = new("ferret-test", FerretCotBackend.Test);

    /// <summary>Every backend this build can run, in the order <see cref="Parse"/> lists them.</summary>
    public static IReadOnlyList<OtBackend> Supported { get; } = [Iknp, Ferret];

    private OtBackend(string name, ICotBackend cot)
    {
        Name = name;
        Cot = cot;
    }

    public string Name { get; }

    /// <summary>
    /// The same backend with its heavy loops on at most <paramref name="threads"/> threads per party (Ferret's
    /// iterations; IKNP runs on the calling thread anyway). Both parties may choose differently: it changes no byte.
    /// </summary>
    public OtBackend WithThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        return Cot is FerretCotBackend ferret ? new OtBackend(Name, ferret.WithParallelism(threads)) : this;
    }

    /// <summary>The backend's per-OT and setup figures, from which every OT cost function computes.</summary>
    public OtBackendCosts Costs => Cot.Costs;

    internal ICotBackend Cot { get; }

    /// <summary>The backend called <paramref name="name"/> (case-insensitive); a clear one-line error otherwise.</summary>
    public static OtBackend Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var backend in Supported)
            if (string.Equals(backend.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) return backend;
        throw new ArgumentException(
            $"unknown OT backend '{name}'; known backends: {string.Join(", ", Supported.Select(b => b.Name))}");
    }

    public override string ToString() => Name;
}
