using System.Runtime.CompilerServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Bit triples made ahead of time, in the pre-processing phase, for the comparisons of later calls (they depend on
/// no input). Both parties fill their stores with the same counts at the same point of the session; afterwards every
/// non-linear call whose triples all fit in the store takes them from it (in order) instead of making them, so its
/// online traffic drops by 144 bits per AND. A call needing more than the store holds makes all of its triples
/// itself. The parameter handshake checks that both parties decided alike. Each party keeps its own shares; nothing is
/// learnt from them.
/// </summary>
public sealed class BitTripleStore
{
    private static readonly ConditionalWeakTable<PartyContext, BitTripleStore> s_stores = new();

    private byte[] _a = [], _b = [], _c = [];
    private int _start, _end;

    private BitTripleStore() { }

    /// <summary>The store of this party's context (empty until filled).</summary>
    public static BitTripleStore Of(PartyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return s_stores.GetValue(ctx, _ => new BitTripleStore());
    }

    /// <summary>Triples left.</summary>
    public int Available => _end - _start;

    /// <summary>Bytes the store's buffers take (one byte per bit share, three per triple of capacity).</summary>
    public long HeldBytes => 3L * _a.Length;

    /// <summary>
    /// Makes <paramref name="count"/> more triples and adds them to this party's store; both parties call it with the
    /// same count. The traffic is booked as <see cref="Phase.Preprocessing"/>.
    /// </summary>
    public static void Fill(PartyContext ctx, int count)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var phase = ctx.Meter.InPhase(Phase.Preprocessing);
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.TripleFill, 1, ("stored", Of(ctx).Available), ("variant", 0), count);
        using var fresh = BitTriples.Generate(ctx, ctx.Prg, count);
        Of(ctx).Append(fresh);
    }

    /// <summary>Traffic of <see cref="Fill"/>, all of it pre-processing.</summary>
    public static CommunicationCost FillCost(int count, OtBackendCosts? otCosts = null) =>
        (ParameterHandshake.Cost + BitTriples.Cost(count, OtCallCost.Resolve(otCosts))).InPhase(Phase.Preprocessing);

    /// <summary>Where a call that needs <paramref name="needed"/> triples takes them from.</summary>
    internal static TripleSource SourceFor(PartyContext ctx, long needed) =>
        needed > 0 && s_stores.TryGetValue(ctx, out var store) && store.Available >= needed
            ? TripleSource.Store
            : TripleSource.Inline;

    /// <summary>The next <paramref name="count"/> stored triples, removed from the store.</summary>
    internal BitTriples Take(int count)
    {
        if (count > Available)
            throw new InvalidOperationException($"the bit-triple store holds {Available} triples, {count} wanted");
        var t = BitTriples.Copy(_a.AsSpan(_start, count), _b.AsSpan(_start, count), _c.AsSpan(_start, count));
        _start += count;
        return t;
    }

    private void Append(BitTriples fresh)
    {
        int live = Available, total = live + fresh.Count;
        if (total > _a.Length || _start > 0)
        {
            // Compact what is left to the front (and grow) before appending.
            var a = total > _a.Length ? new byte[Math.Max(total, 2 * _a.Length)] : _a;
            var b = total > _b.Length ? new byte[a.Length] : _b;
            var c = total > _c.Length ? new byte[a.Length] : _c;
            _a.AsSpan(_start, live).CopyTo(a);
            _b.AsSpan(_start, live).CopyTo(b);
            _c.AsSpan(_start, live).CopyTo(c);
            (_a, _b, _c, _start, _end) = (a, b, c, 0, live);
        }
        fresh.A.CopyTo(_a.AsSpan(_end));
        fresh.B.CopyTo(_b.AsSpan(_end));
        fresh.C.CopyTo(_c.AsSpan(_end));
        _end += fresh.Count;
    }
}
