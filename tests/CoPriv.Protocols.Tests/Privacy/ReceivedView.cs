namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Everything one party received in one protocol run, filled by the observing channel and OT endpoints (which may
/// run on two threads when a party drives both OT directions at once).
/// </summary>
internal sealed class ReceivedView
{
    private readonly List<Observation> _observations = [];
    private readonly Dictionary<string, int> _perSource = new(StringComparer.Ordinal);

    public void Add(string source, ObservationKind kind, ReadOnlySpan<ulong> values, ReadOnlySpan<int> widths)
    {
        lock (_observations)
        {
            int sequence = _perSource.GetValueOrDefault(source);
            _perSource[source] = sequence + 1;
            _observations.Add(new Observation(source, sequence, kind, values.ToArray(), widths.ToArray()));
        }
    }

    public void AddBytes(string source, ReadOnlySpan<byte> message)
    {
        var values = new ulong[message.Length];
        for (int i = 0; i < message.Length; i++) values[i] = message[i];
        var widths = new int[message.Length];
        widths.AsSpan().Fill(8);
        Add(source, ObservationKind.StreamMessage, values, widths);
    }

    /// <summary>
    /// The observations ordered by source, then sequence: an order that does not depend on how two threads of a party
    /// interleaved.
    /// </summary>
    public IReadOnlyList<Observation> Ordered()
    {
        lock (_observations)
            return _observations.OrderBy(o => o.Source, StringComparer.Ordinal).ThenBy(o => o.Sequence).ToList();
    }
}
