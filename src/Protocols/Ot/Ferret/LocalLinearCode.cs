using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The public k×n matrix A of Ferret's primal-LPN step, with <see cref="FerretParameters.CodeWeight"/> = 10 ones per
/// column, and the map x ↦ y ⊕ x·A over GF(2)^128 blocks (the receiver's choices ride in the blocks' lowest bits). Both parties
/// derive A from the same public seed: column i's rows come from the AES-128 encryptions, under the seed as key,
/// of the blocks (3i + m, 0) for m = 0, 1, 2 (low ulong first), read as twelve little-endian 32-bit words w_0..w_11;
/// the first ten give rows ⌊w_j·k / 2^32⌋ (a repeated row cancels, as in emp-ot). Nothing secret goes in: A is public.
/// </summary>
internal sealed class LocalLinearCode
{
    /// <summary>The public seed of A (any fixed value serves: LPN is assumed hard for a random public matrix).</summary>
    public static ReadOnlySpan<byte> PublicSeed => "CoPriv-Ferret-A."u8;

    /// <summary>AES blocks per column: 12 words cover the 10 rows.</summary>
    public const int BlocksPerColumn = 3;

    private const int Batch = 1024;     // columns per AES pass: the index blocks stay in L1
    private const int ParallelChunk = 1 << 16;

    private readonly byte[] _seed;

    public LocalLinearCode(int inputs, int outputs, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 16) throw new ArgumentException($"the code's seed has 16 bytes, got {seed.Length}", nameof(seed));
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        Inputs = inputs;
        Outputs = outputs;
        _seed = seed.ToArray();
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>
    /// rows[i] ^= ⊕_{j} input[a_{i,j}] for every column i (the rows start as the noise term), for both parties: the
    /// receiver's choices ride in its rows' lowest bits. Runs over chunks of columns on up to
    /// <paramref name="parallelism"/> threads.
    /// </summary>
    public void Encode(Vector128<ulong>[] input, Vector128<ulong>[] rows, int parallelism)
    {
        if (input.Length < Inputs || rows.Length < Outputs)
            throw new ArgumentException("the code needs k input blocks and n output blocks");
        int chunks = (Outputs + ParallelChunk - 1) / ParallelChunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            () => new Worker(_seed),
            (chunk, _, worker) =>
            {
                int start = chunk * ParallelChunk;
                int end = Math.Min(Outputs, start + ParallelChunk);
                for (int s = start; s < end; s += Batch)
                    worker.Run(this, s, Math.Min(Batch, end - s), input, rows);
                return worker;
            },
            _ => { });
    }

    /// <summary>Per-thread state: its own AES (the portable path is not thread-safe) and index blocks.</summary>
    private sealed class Worker(byte[] seed)
    {
        private readonly Aes128 _aes = new(seed);
        private readonly ulong[] _blocks = new ulong[2 * BlocksPerColumn * Batch];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(LocalLinearCode code, int first, int count, Vector128<ulong>[] input, Vector128<ulong>[] rows)
        {
            var blocks = _blocks.AsSpan(0, 2 * BlocksPerColumn * count);
            ulong counter = (ulong)first * BlocksPerColumn;
            for (int b = 0; b < blocks.Length; b += 2)
            {
                blocks[b] = counter++;
                blocks[b + 1] = 0;
            }
            _aes.EncryptBlocks(blocks, blocks);
            var words = MemoryMarshal.Cast<ulong, uint>(blocks);
            ulong k = (ulong)code.Inputs;
            ref var inputRef = ref MemoryMarshal.GetArrayDataReference(input);
            for (int i = 0; i < count; i++)
            {
                var w = words.Slice(4 * BlocksPerColumn * i, FerretParameters.CodeWeight);
                var acc = rows[first + i];
                for (int j = 0; j < FerretParameters.CodeWeight; j++)
                    acc ^= Unsafe.Add(ref inputRef, (int)((w[j] * k) >> 32));
                rows[first + i] = acc;
            }
        }
    }
}
