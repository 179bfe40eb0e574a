using System.Runtime.InteropServices;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The OT-extension sender's half of the extension matrix (IKNP with width 128, Kolesnikov–Kumaresan with width
/// 256), as a correlated-OT source: Δ = s. It holds the secret s (its base-OT choices) and the keys k_{j,s_j}; from
/// the receiver's rows u_i it makes q_i = t_i ⊕ (code_i ∧ s), where t_i and code_i are the receiver's row and
/// codeword. It learns nothing about the codes (u_i is masked by the PRG columns the sender cannot compute).
/// </summary>
internal sealed class ExtensionSenderCore : ICotSender
{
    private readonly ColumnExpander _columns;
    private readonly ulong[] _secret;
    private ulong[] _columnBuffer = [], _rows = [];
    private ulong _nextBlock;

    /// <param name="secretBits">the width base-OT choices s_j, 0/1 per byte.</param>
    /// <param name="keys">the width received base-OT keys k_{j,s_j}, 16 bytes each.</param>
    public ExtensionSenderCore(ReadOnlySpan<byte> secretBits, ReadOnlySpan<byte> keys)
    {
        _columns = new ColumnExpander(keys);
        if (secretBits.Length != _columns.Width)
            throw new ArgumentException($"{_columns.Width} base-OT keys need {_columns.Width} choice bits, got {secretBits.Length}");
        _secret = new ulong[Width / 64];
        for (int j = 0; j < Width; j++) _secret[j / 64] |= (ulong)(secretBits[j] & 1) << (j % 64);
    }

    public int Width => _columns.Width;
    public int RowWords => Width / 64;

    /// <summary>s as RowWords ulongs (bit j of the row = s_j).</summary>
    public ReadOnlySpan<ulong> Delta => _secret;

    /// <summary>The instance-wide index the next extended row will get.</summary>
    public ulong NextIndex => _nextBlock * 128;

    /// <summary>The receiver's row u_i per OT: 16 bytes (IKNP) or 32 (KK).</summary>
    public int RequestBytes(int count) => 8 * RowWords * count;

    public ReadOnlySpan<ulong> Correlate(int count, ReadOnlySpan<byte> request, out ulong firstIndex)
    {
        var rows = Scratch.Ensure(ref _rows, PaddedRows(count) * RowWords);
        firstIndex = Extend(count, MemoryMarshal.Cast<byte, ulong>(request), rows);
        return rows;
    }

    /// <summary>
    /// Makes q rows for the next <paramref name="rows"/> extended OTs from the receiver's u rows (rows·RowWords ulongs).
    /// q must hold <see cref="PaddedRows"/>(rows) rows; rows past <paramref name="rows"/> are scratch. Returns the
    /// instance-wide index of the first row (the hash tweak of OT 0 of this chunk).
    /// </summary>
    private ulong Extend(int rows, ReadOnlySpan<ulong> u, Span<ulong> q)
    {
        int padded = PaddedRows(rows);
        ulong firstRow = _nextBlock * 128;
        var columns = Scratch.Ensure(ref _columnBuffer, Width * padded / 64);
        _columns.Expand(_nextBlock, padded, columns);
        _nextBlock += (ulong)(padded / 128);
        BitMatrixTranspose.ColumnsToRows(columns, Width, padded, q);
        int words = RowWords;
        if (words == 2)
        {
            ulong s0 = _secret[0], s1 = _secret[1];
            for (int i = 0; i < 2 * rows; i += 2)
            {
                q[i] ^= u[i] & s0;
                q[i + 1] ^= u[i + 1] & s1;
            }
        }
        else
        {
            for (int i = 0; i < rows * words; i++) q[i] ^= u[i] & _secret[i % words];
        }
        return firstRow;
    }

    public static int PaddedRows(int rows) =>
        (rows + BitMatrixTranspose.RowAlignment - 1) / BitMatrixTranspose.RowAlignment * BitMatrixTranspose.RowAlignment;
}

/// <summary>
/// The OT-extension receiver's half of the extension matrix, as a correlated-OT source: it holds both keys of every
/// base OT and produces its rows t_i (from the k_{j,0} columns) and the masks d_i = t_i ⊕ t'_i (t' from the k_{j,1}
/// columns); the row it sends is u_i = d_i ⊕ code_i, with the repetition code at width 128 and the Walsh–Hadamard
/// code at width 256. It learns nothing about s.
/// </summary>
internal sealed class ExtensionReceiverCore : ICotReceiver
{
    private readonly ColumnExpander _zero, _one;
    private readonly ulong[][] _slotRows = Enumerable.Repeat(Array.Empty<ulong>(), ChunkPipeline.Depth).ToArray();
    private readonly ulong[] _slotFirstIndex = new ulong[ChunkPipeline.Depth];
    private ulong[] _zeroColumns = [], _oneColumns = [], _masks = [];
    private ulong _nextBlock;

    /// <param name="keys0">the width keys k_{j,0}, 16 bytes each.</param>
    /// <param name="keys1">the width keys k_{j,1}.</param>
    public ExtensionReceiverCore(ReadOnlySpan<byte> keys0, ReadOnlySpan<byte> keys1)
    {
        _zero = new ColumnExpander(keys0);
        _one = new ColumnExpander(keys1);
        if (_zero.Width != _one.Width) throw new ArgumentException("both key sets must have the same width");
    }

    public int Width => _zero.Width;
    public int RowWords => Width / 64;

    /// <summary>The instance-wide index the next extended row will get.</summary>
    public ulong NextIndex => _nextBlock * 128;

    public ReadOnlySpan<byte> Correlate(ReadOnlySpan<byte> choices, int slot)
    {
        int count = choices.Length;
        int words = RowWords;
        int padded = ExtensionSenderCore.PaddedRows(count);
        var t = Scratch.Ensure(ref _slotRows[slot], padded * words);
        var u = Scratch.Ensure(ref _masks, padded * words);
        _slotFirstIndex[slot] = Extend(count, t, u);
        if (words == 2)
        {
            for (int i = 0; i < count; i++)
            {
                ulong all = 0UL - choices[i];
                u[2 * i] ^= all;
                u[2 * i + 1] ^= all;
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                var code = WalshHadamardCode.Codeword(choices[i]);
                var row = u.Slice(4 * i, 4);
                row[0] ^= code[0];
                row[1] ^= code[1];
                row[2] ^= code[2];
                row[3] ^= code[3];
            }
        }
        return MemoryMarshal.AsBytes(u[..(count * words)]);
    }

    public ReadOnlySpan<ulong> Rows(int slot, out ulong firstIndex)
    {
        firstIndex = _slotFirstIndex[slot];
        return _slotRows[slot];
    }

    /// <summary>
    /// Fills t and d (each <see cref="ExtensionSenderCore.PaddedRows"/>(rows) rows) for the next rows extended OTs
    /// and returns the instance-wide index of the first row.
    /// </summary>
    private ulong Extend(int rows, Span<ulong> t, Span<ulong> d)
    {
        int padded = ExtensionSenderCore.PaddedRows(rows);
        ulong firstRow = _nextBlock * 128;
        int words = Width * padded / 64;
        var zero = Scratch.Ensure(ref _zeroColumns, words);
        var one = Scratch.Ensure(ref _oneColumns, words);
        _zero.Expand(_nextBlock, padded, zero);
        _one.Expand(_nextBlock, padded, one);
        _nextBlock += (ulong)(padded / 128);
        WordOps.Xor(one, zero);
        BitMatrixTranspose.ColumnsToRows(zero, Width, padded, t);
        BitMatrixTranspose.ColumnsToRows(one, Width, padded, d);
        return firstRow;
    }
}
