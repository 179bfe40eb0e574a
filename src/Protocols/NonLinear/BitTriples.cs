using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// A batch of Beaver bit triples (a, b, c = a ∧ b), XOR-shared: each party holds its shares of a, b and c, one bit
/// per byte. Two triples come from one 1-out-of-16 OT with 2-bit messages: the receiver's random choice is its
/// shares (a, b) of both triples, the sender's messages are its random c-shares masked with the product for each
/// possible choice — 256 + 16·2 = 288 bits per two triples, 144 per triple. Neither party learns anything: every
/// share it holds is uniformly random on its own. Generating them does not depend on any input, so a whole tree of
/// ANDs draws from one batch made up front.
/// </summary>
internal sealed class BitTriples : IDisposable
{
    private const int OtMessages = 16;
    private const int MessageBits = 2;

    private byte[] _a, _b, _c;
    private int _next;

    private BitTriples(int count)
    {
        Count = count;
        _a = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
        _b = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
        _c = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
    }

    public int Count { get; }

    public ReadOnlySpan<byte> A => _a.AsSpan(0, Count);
    public ReadOnlySpan<byte> B => _b.AsSpan(0, Count);
    public ReadOnlySpan<byte> C => _c.AsSpan(0, Count);

    /// <summary>Hands out the next <paramref name="count"/> unused triples (their index range).</summary>
    public Range Take(int count)
    {
        if (count > Count - _next)
            throw new InvalidOperationException($"bit triples exhausted: {count} wanted, {Count - _next} left of {Count}");
        var r = new Range(_next, _next + count);
        _next += count;
        return r;
    }

    /// <summary>A batch holding copies of stored triples.</summary>
    public static BitTriples Copy(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var t = new BitTriples(a.Length);
        a.CopyTo(t._a);
        b.CopyTo(t._b);
        c.CopyTo(t._c);
        return t;
    }

    /// <summary>The party that acts as 1-of-16 OT sender when triples are made (the client, to balance the work:
    /// the server is the sender of the comparison leaves).</summary>
    public const PartyRole OtSender = PartyRole.Client;

    /// <summary>OTs needed for <paramref name="count"/> triples (two per OT).</summary>
    public static long OtCount(long count) => (count + 1) / 2;

    public static CommunicationCost Cost(long count, OtBackendCosts? otCosts = null) =>
        OtCallCost.OneOfN(OtCallCost.Resolve(otCosts), OtCount(count), OtMessages, MessageBits, OtSender);

    /// <summary>
    /// Both parties call this with the same count; the traffic is booked where the meter is. <paramref name="prg"/> is
    /// this party's randomness (a fork of the context's when this runs beside other work).
    /// </summary>
    public static BitTriples Generate(PartyContext ctx, AesPrg prg, int count)
    {
        var t = new BitTriples(count);
        int ots = (int)OtCount(count);
        if (ots == 0) return t;
        try
        {
            if (ctx.Role == OtSender) t.GenerateAsSender(ctx, prg, ots);
            else t.GenerateAsReceiver(ctx, prg, ots);
        }
        catch
        {
            t.Dispose();
            throw;
        }
        return t;
    }

    private void GenerateAsSender(PartyContext ctx, AesPrg prg, int ots)
    {
        // One random byte per OT: its low nibble is the own shares a1 b1 a2 b2, bits 4 and 5 the c-shares c1 c2. Every
        // bit the sender holds comes from this one draw, so none can come from a pooled buffer's stale contents.
        var own = ArrayPool<byte>.Shared.Rent(ots);
        var messages = ArrayPool<ulong>.Shared.Rent(ots * OtMessages);
        try
        {
            prg.Fill(own.AsSpan(0, ots));
            var table = ProductTable;
            var msg = messages.AsSpan(0, ots * OtMessages);
            for (int i = 0; i < ots; i++)
            {
                int mine = own[i] & 0xF;
                int c = (own[i] >> 4) & 3;
                table.Slice((mine * 4 + c) * OtMessages, OtMessages).CopyTo(msg.Slice(i * OtMessages, OtMessages));
                Store(2 * i, mine & 1, (mine >> 1) & 1, c & 1);
                Store(2 * i + 1, (mine >> 2) & 1, (mine >> 3) & 1, c >> 1);
            }
            ctx.Ot.Sender.SendOneOfN(msg, OtMessages, MessageBits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(own);
            ArrayPool<ulong>.Shared.Return(messages);
        }
    }

    private void GenerateAsReceiver(PartyContext ctx, AesPrg prg, int ots)
    {
        var choices = ArrayPool<byte>.Shared.Rent(ots);
        var received = ArrayPool<ulong>.Shared.Rent(ots);
        try
        {
            var ch = choices.AsSpan(0, ots);
            prg.Fill(ch);
            for (int i = 0; i < ots; i++) ch[i] &= 0xF;
            ctx.Ot.Receiver.ReceiveOneOfN(ch, OtMessages, MessageBits, received.AsSpan(0, ots));
            for (int i = 0; i < ots; i++)
            {
                int mine = ch[i];
                int c = (int)received[i];
                Store(2 * i, mine & 1, (mine >> 1) & 1, c & 1);
                Store(2 * i + 1, (mine >> 2) & 1, (mine >> 3) & 1, (c >> 1) & 1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(choices);
            ArrayPool<ulong>.Shared.Return(received);
        }
    }

    private void Store(int index, int a, int b, int c)
    {
        // An odd count leaves the second half of the last OT unused.
        if (index >= Count) return;
        _a[index] = (byte)a;
        _b[index] = (byte)b;
        _c[index] = (byte)c;
    }

    /// <summary>
    /// For the sender's shares s = (a1, b1, a2, b2), its c-shares c = c1 | c2 &lt;&lt; 1 and the receiver's choice r
    /// (laid out like s), entry (s·4 + c)·16 + r holds the message
    /// (c1 ⊕ (a1⊕ra1)(b1⊕rb1)) | (c2 ⊕ (a2⊕ra2)(b2⊕rb2)) &lt;&lt; 1.
    /// </summary>
    private static ReadOnlySpan<ulong> ProductTable => s_productTable;

    private static readonly ulong[] s_productTable = BuildProductTable();

    private static ulong[] BuildProductTable()
    {
        var t = new ulong[OtMessages * 4 * OtMessages];
        for (int s = 0; s < OtMessages; s++)
        for (int c = 0; c < 4; c++)
        for (int r = 0; r < OtMessages; r++)
        {
            int x = s ^ r;
            int p1 = (x & 1) & ((x >> 1) & 1);
            int p2 = ((x >> 2) & 1) & ((x >> 3) & 1);
            t[(s * 4 + c) * OtMessages + r] = (ulong)((p1 | (p2 << 1)) ^ c);
        }
        return t;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_a);
        ArrayPool<byte>.Shared.Return(_b);
        ArrayPool<byte>.Shared.Return(_c);
        _a = _b = _c = [];
    }
}
