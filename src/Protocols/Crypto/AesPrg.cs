using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Crypto;

/// <summary>
/// A pseudo-random generator: AES-128 in counter mode under a 16-byte seed. Each party keeps its own; seeds come
/// from <see cref="RandomNumberGenerator"/> unless a test injects one, so runs can be replayed exactly.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class AesPrg
{
    private const int BufferBlocks = 256;
    private readonly Aes128 _aes;
    private readonly byte[] _counterBlocks = new byte[BufferBlocks * Aes128.BlockBytes];
    private readonly byte[] _buffer = new byte[BufferBlocks * Aes128.BlockBytes];
    private ulong _counter;
    private int _bufferPos = BufferBlocks * Aes128.BlockBytes;

    public AesPrg(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 16)
            throw new ArgumentException($"a PRG seed has 16 bytes, got {seed.Length}", nameof(seed));
        _aes = new Aes128(seed);
    }

    /// <summary>A PRG seeded from the operating system's secure random source.</summary>
    public static AesPrg FromOsRandom()
    {
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        return new AesPrg(seed);
    }

    /// <summary>A PRG whose seed is derived from a number: for tests and replayable benchmarks only.</summary>
    public static AesPrg FromTestSeed(ulong seed, ulong stream = 0)
    {
        Span<byte> s = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(s, seed);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], stream ^ 0x436f507269760000UL);
        return new AesPrg(s);
    }

    /// <summary>A fresh seed drawn from this PRG, for a child PRG.</summary>
    public AesPrg Fork()
    {
        Span<byte> seed = stackalloc byte[16];
        Fill(seed);
        return new AesPrg(seed);
    }

    /// <summary>Fills dst with pseudo-random bytes.</summary>
    public void Fill(Span<byte> dst)
    {
        while (dst.Length > 0)
        {
            if (_bufferPos == _buffer.Length)
            {
                // Large requests bypass the buffer: whole blocks straight into the destination.
                int wholeBlocks = dst.Length / Aes128.BlockBytes;
                if (wholeBlocks >= BufferBlocks)
                {
                    int n = wholeBlocks * Aes128.BlockBytes;
                    FillBlocks(dst[..n]);
                    dst = dst[n..];
                    continue;
                }
                FillBlocks(_buffer);
                _bufferPos = 0;
            }
            int take = Math.Min(dst.Length, _buffer.Length - _bufferPos);
            _buffer.AsSpan(_bufferPos, take).CopyTo(dst);
            _bufferPos += take;
            dst = dst[take..];
        }
    }

    public void Fill(Span<ulong> dst) => Fill(MemoryMarshal.AsBytes(dst));

    /// <summary>Fills dst with uniform elements of the ring.</summary>
    public void Fill(Span<ulong> dst, Ring ring)
    {
        Fill(MemoryMarshal.AsBytes(dst));
        ring.Reduce(dst);
    }

    /// <summary>Fills dst with uniform bits, one per byte (0 or 1).</summary>
    public void FillBits(Span<byte> dst)
    {
        Fill(dst);
        for (int i = 0; i < dst.Length; i++) dst[i] &= 1;
    }

    public ulong NextUInt64()
    {
        Span<byte> b = stackalloc byte[8];
        Fill(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    private void FillBlocks(Span<byte> dst)
    {
        int blocks = dst.Length / Aes128.BlockBytes;
        var counters = MemoryMarshal.Cast<byte, ulong>(dst);
        for (int b = 0; b < blocks; b++)
        {
            counters[2 * b] = _counter++;
            counters[2 * b + 1] = 0;
        }
        _aes.EncryptBlocks(dst, dst);
    }
}
