using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Stretches base-OT keys into the columns of the extension matrix: column j is AES-CTR under key j, and the bits
/// for rows [128b, 128b + 128) are the encryption of counter b. Counters run over the whole life of an extension
/// instance, so no column bit is ever used twice. Each party expands only the keys it holds.
/// </summary>
internal sealed class ColumnExpander
{
    private readonly Aes128[] _columns;

    /// <param name="keys">one 16-byte key per column, back to back.</param>
    public ColumnExpander(ReadOnlySpan<byte> keys)
    {
        if (keys.Length % 16 != 0)
            throw new ArgumentException($"column keys are 16 bytes each, got {keys.Length} bytes");
        _columns = new Aes128[keys.Length / 16];
        for (int j = 0; j < _columns.Length; j++) _columns[j] = new Aes128(keys.Slice(16 * j, 16));
    }

    public int Width => _columns.Length;

    /// <summary>
    /// Fills the columns for rows [128·firstBlock, 128·firstBlock + rows): column j at words
    /// [j·rows/64, (j+1)·rows/64). rows is a multiple of 128.
    /// </summary>
    public void Expand(ulong firstBlock, int rows, Span<ulong> columns)
    {
        int wordsPerColumn = rows / 64;
        for (int j = 0; j < _columns.Length; j++)
        {
            var column = columns.Slice(j * wordsPerColumn, wordsPerColumn);
            for (int b = 0; b < wordsPerColumn / 2; b++)
            {
                column[2 * b] = firstBlock + (ulong)b;
                column[2 * b + 1] = 0;
            }
            _columns[j].EncryptBlocks(column, column);
        }
    }
}
