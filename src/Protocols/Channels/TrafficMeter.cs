using System.Collections.Concurrent;

namespace CoPriv.Protocols.Channels;

/// <summary>Where traffic is booked: a layer (e.g. "layer-07-conv3x3") and an operator in it (e.g. "relu").</summary>
public readonly record struct TrafficScope(string Layer, string Operator)
{
    public static readonly TrafficScope Unscoped = new("-", "-");
    public override string ToString() => $"{Layer}/{Operator}";
}

/// <summary>
/// Counts of one (scope, phase) cell, as seen by one party; <see cref="CotsSent"/> are the correlated OTs this party,
/// as OT sender, took from its instance's backend there.
/// </summary>
public sealed record TrafficRecord(
    string Layer, string Operator, Phase Phase, long BytesSent, long BytesReceived, long MessagesSent, long Rounds,
    long CotsSent = 0)
{
    public long TotalBytes => BytesSent + BytesReceived;
}

/// <summary>
/// One party's traffic counter. Protocol code marks where it is with <see cref="Enter"/> (scope) and
/// <see cref="InPhase"/>; the current marks flow with the logical call (async-local), so concurrent sub-protocols
/// on other threads started from inside a scope are booked to it. A round is a flight: a send on a stream whose
/// previous operation (at this end) was not a send.
/// </summary>
public sealed class TrafficMeter
{
    private readonly AsyncLocal<Cell?> _current = new();
    private readonly ConcurrentDictionary<(TrafficScope, Phase), Cell> _cells = new();

    /// <summary>The scope traffic is booked to now.</summary>
    public TrafficScope CurrentScope => _current.Value?.Scope ?? TrafficScope.Unscoped;

    /// <summary>The phase traffic is booked to now (online unless said otherwise).</summary>
    public Phase CurrentPhase => _current.Value?.Phase ?? Phase.Online;

    /// <summary>Books everything until disposal to (layer, operator), keeping the current phase.</summary>
    public IDisposable Enter(string layer, string op) => Switch(new TrafficScope(layer, op), CurrentPhase);

    /// <summary>Books everything until disposal to the given operator within the current layer.</summary>
    public IDisposable EnterOperator(string op) => Switch(CurrentScope with { Operator = op }, CurrentPhase);

    /// <summary>Books everything until disposal to the given phase, keeping the current scope.</summary>
    public IDisposable InPhase(Phase phase) => Switch(CurrentScope, phase);

    internal void RecordSend(int bytes, bool newFlight)
    {
        var cell = CurrentCell();
        Interlocked.Add(ref cell.BytesSent, bytes);
        Interlocked.Increment(ref cell.MessagesSent);
        if (newFlight) Interlocked.Increment(ref cell.Rounds);
    }

    /// <summary>Books <paramref name="count"/> correlated OTs this party sent (as OT sender) to the current cell.</summary>
    internal void RecordCots(long count)
    {
        if (count > 0) Interlocked.Add(ref CurrentCell().CotsSent, count);
    }

    internal void RecordReceive(int bytes)
    {
        var cell = CurrentCell();
        Interlocked.Add(ref cell.BytesReceived, bytes);
    }

    /// <summary>All non-empty cells, ordered by layer, operator and phase.</summary>
    public IReadOnlyList<TrafficRecord> Snapshot() =>
        _cells.Values
            .Select(c => new TrafficRecord(c.Scope.Layer, c.Scope.Operator, c.Phase,
                Interlocked.Read(ref c.BytesSent), Interlocked.Read(ref c.BytesReceived),
                Interlocked.Read(ref c.MessagesSent), Interlocked.Read(ref c.Rounds), Interlocked.Read(ref c.CotsSent)))
            .Where(r => r.BytesSent + r.BytesReceived + r.MessagesSent + r.CotsSent > 0)
            .OrderBy(r => r.Layer, StringComparer.Ordinal).ThenBy(r => r.Operator, StringComparer.Ordinal)
            .ThenBy(r => r.Phase)
            .ToList();

    /// <summary>Sums of the cells that pass the filter (all cells when null).</summary>
    public TrafficRecord Total(Func<TrafficRecord, bool>? filter = null)
    {
        long sent = 0, received = 0, messages = 0, rounds = 0, cots = 0;
        foreach (var r in Snapshot())
        {
            if (filter is not null && !filter(r)) continue;
            sent += r.BytesSent;
            received += r.BytesReceived;
            messages += r.MessagesSent;
            rounds += r.Rounds;
            cots += r.CotsSent;
        }
        return new TrafficRecord("*", "*", Phase.Online, sent, received, messages, rounds, cots);
    }

    /// <summary>Forgets all counts (e.g. between benchmark iterations).</summary>
    public void Reset() => _cells.Clear();

    private Cell CurrentCell()
    {
        var cell = _current.Value;
        if (cell is null)
        {
            cell = _cells.GetOrAdd((TrafficScope.Unscoped, Phase.Online), k => new Cell(k.Item1, k.Item2));
            return cell;
        }
        // A reset since the scope was entered drops the cell from the table; put it back.
        return _cells.GetOrAdd((cell.Scope, cell.Phase), cell);
    }

    private IDisposable Switch(TrafficScope scope, Phase phase)
    {
        var previous = _current.Value;
        _current.Value = _cells.GetOrAdd((scope, phase), k => new Cell(k.Item1, k.Item2));
        return new Restore(this, previous);
    }

    private sealed class Restore(TrafficMeter meter, Cell? previous) : IDisposable
    {
        public void Dispose() => meter._current.Value = previous;
    }

    private sealed class Cell(TrafficScope scope, Phase phase)
    {
        public readonly TrafficScope Scope = scope;
        public readonly Phase Phase = phase;
        public long BytesSent, BytesReceived, MessagesSent, Rounds, CotsSent;
    }
}
