using System.Buffers;
using System.Numerics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// One layer of AND gates on XOR-shared bits, evaluated with Beaver bit triples: each party opens d = x ⊕ a and
/// e = y ⊕ b (two bits per gate, both parties at once), then z = c ⊕ d·b ⊕ e·a, with the server also adding d·e.
/// The opened d and e are one-time-padded by the triple, so neither party learns anything about x or y.
/// </summary>
internal static class AndGates
{
    /// <summary>The openings of one layer of <paramref name="gates"/> gates: 2 bits each way per gate.</summary>
    public static CommunicationCost OpeningCost(long gates)
    {
        if (gates == 0) return default;
        long bytes = (2 * gates + 7) / 8;
        return CommunicationCost.Online(bytes, bytes, 2);
    }

    /// <summary>z[i] = x[i] ∧ y[i] on shares (0/1 bytes), consuming x.Length triples.</summary>
    public static void Evaluate(PartyContext ctx, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> z,
        BitTriples triples)
    {
        int n = x.Length;
        if (y.Length != n || z.Length != n)
            throw new ArgumentException($"AND operands differ in length: {x.Length}, {y.Length} → {z.Length}");
        if (n == 0) return;
        var range = triples.Take(n);
        var a = triples.A[range];
        var b = triples.B[range];
        var c = triples.C[range];

        var mineBuffer = ArrayPool<byte>.Shared.Rent(2 * n);
        var peerBuffer = ArrayPool<byte>.Shared.Rent(2 * n);
        try
        {
            var mine = mineBuffer.AsSpan(0, 2 * n);
            var peer = peerBuffer.AsSpan(0, 2 * n);
            Xor(x, a, mine[..n]);
            Xor(y, b, mine[n..]);
            var stream = ctx.Channel.Stream(ParameterHandshake.StreamName);
            stream.SendBits(mine);
            stream.ReceiveBits(peer);
            Combine(mine[..n], peer[..n], mine[n..], peer[n..], a, b, c, ctx.Role == PartyRole.Server, z);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(mineBuffer);
            ArrayPool<byte>.Shared.Return(peerBuffer);
        }
    }

    internal static void Xor(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q, Span<byte> dst)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<byte>.Count;
            for (; i + w <= dst.Length; i += w) (new Vector<byte>(p[i..]) ^ new Vector<byte>(q[i..])).CopyTo(dst[i..]);
        }
        for (; i < dst.Length; i++) dst[i] = (byte)(p[i] ^ q[i]);
    }

    private static void Combine(ReadOnlySpan<byte> dMine, ReadOnlySpan<byte> dPeer, ReadOnlySpan<byte> eMine,
        ReadOnlySpan<byte> ePeer, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, bool server,
        Span<byte> z)
    {
        int n = z.Length;
        byte de = server ? (byte)1 : (byte)0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<byte>.Count)
        {
            var vde = new Vector<byte>(de);
            int w = Vector<byte>.Count;
            for (; i + w <= n; i += w)
            {
                var d = new Vector<byte>(dMine[i..]) ^ new Vector<byte>(dPeer[i..]);
                var e = new Vector<byte>(eMine[i..]) ^ new Vector<byte>(ePeer[i..]);
                var r = new Vector<byte>(c[i..]) ^ (d & new Vector<byte>(b[i..])) ^ (e & new Vector<byte>(a[i..]))
                        ^ (d & e & vde);
                r.CopyTo(z[i..]);
            }
        }
        for (; i < n; i++)
        {
            int d = dMine[i] ^ dPeer[i], e = eMine[i] ^ ePeer[i];
            z[i] = (byte)(c[i] ^ (d & b[i]) ^ (e & a[i]) ^ (d & e & de));
        }
    }
}
