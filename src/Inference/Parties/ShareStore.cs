using CoPriv.Models.Lowering;

namespace CoPriv.Inference.Parties;

/// <summary>
/// One party's shares of the program's tensors by name. A share is dropped after the last operation that reads it
/// (unless retained), so a run holds only the live activations.
/// </summary>
internal sealed class ShareStore
{
    private readonly Dictionary<string, ulong[]> _shares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastUse = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retained;

    public ShareStore(LoweredProgram program, ShareRetention retention)
    {
        for (int i = 0; i < program.Operations.Count; i++)
            foreach (var input in program.Operations[i].Inputs)
                _lastUse[input] = i;
        Retained = (retention == ShareRetention.All
            ? program.Operations.Select(o => o.Output).Prepend(program.InputName)
            : [program.LogitsName, program.Output]).Distinct(StringComparer.Ordinal).ToArray();
        _retained = new HashSet<string>(Retained, StringComparer.Ordinal);
    }

    /// <summary>The tensors whose shares outlive their last use, in program order.</summary>
    public IReadOnlyList<string> Retained { get; }

    public void Put(string tensor, ulong[] share) => _shares[tensor] = share;

    public ulong[] Get(string tensor) =>
        _shares.TryGetValue(tensor, out var share) ? share
            : throw new InvalidOperationException($"no share of tensor '{tensor}' is held (not computed yet, or dropped after its last use)");

    /// <summary>Drops the inputs whose last reader is operation <paramref name="operationIndex"/>.</summary>
    public void Release(IEnumerable<string> inputs, int operationIndex)
    {
        foreach (var input in inputs)
            if (_lastUse.TryGetValue(input, out int last) && last == operationIndex && !_retained.Contains(input))
                _shares.Remove(input);
    }
}
