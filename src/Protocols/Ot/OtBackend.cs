namespace CoPriv.Protocols.Ot;

/// <summary>
/// Which correlated-OT backend a session's OTs are derived from, chosen by name ("iknp"). Both parties must pick the
/// same one (a mismatch fails at setup on the wire version); neither learns anything from the choice. The protocols
/// do not see it: they call <see cref="IOtSender"/>/<see cref="IOtReceiver"/>, and their cost functions read
/// <see cref="Costs"/>.
/// </summary>
public sealed class OtBackend
{
    /// <summary>IKNP extension of Chou–Orlandi base OTs; the only backend today.</summary>
    public static OtBackend Iknp { get; } = new("iknp", IknpCotBackend.Instance);

    /// <summary>Every backend this build can run, in the order <see cref="Parse"/> lists them.</summary>
    public static IReadOnlyList<OtBackend> Supported { get; } = [Iknp];

    private OtBackend(string name, ICotBackend cot)
    {
        Name = name;
        Cot = cot;
    }

    public string Name { get; }

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
