using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

public class BitMatrixTransposeTests
{
    [Theory]
    [InlineData(128, 512, false)]
    [InlineData(128, 1536, false)]
    [InlineData(256, 1024, false)]
    [InlineData(128, 1536, true)]
    [InlineData(256, 512, true)]
    public void Row_bit_j_equals_column_j_bit_i_on_every_path(int width, int rows, bool portable)
    {
        var columns = new ulong[width * rows / 64];
        AesPrg.FromTestSeed(20, (ulong)(width + rows)).Fill(columns);
        var actual = new ulong[rows * width / 64];
        using (portable ? PortableCodePaths.Force() : null)
            BitMatrixTranspose.ColumnsToRows(columns, width, rows, actual);
        int wordsPerColumn = rows / 64, rowWords = width / 64;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < width; j++)
            {
                ulong columnBit = (columns[j * wordsPerColumn + i / 64] >> (i % 64)) & 1;
                ulong rowBit = (actual[i * rowWords + j / 64] >> (j % 64)) & 1;
                Assert.True(columnBit == rowBit, $"row {i}, column {j}");
            }
    }

    [Fact]
    public void Rows_that_are_not_a_multiple_of_the_alignment_are_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            BitMatrixTranspose.ColumnsToRows(new ulong[128 * 8], 128, 500, new ulong[1000]));
    }
}
