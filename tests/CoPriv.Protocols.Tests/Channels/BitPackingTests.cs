using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Channels;

public class BitPackingTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(41, 1000)]
    [InlineData(63, 65)]
    [InlineData(64, 33)]
    public void Pack_then_unpack_restores_values_in_exactly_the_packed_size(int bits, int count)
    {
        var values = new ulong[count];
        AesPrg.FromTestSeed((ulong)bits).Fill(values);
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        for (int i = 0; i < count; i++) values[i] &= mask;
        int bytes = BitPacking.PackedBytes(count, bits);
        Assert.Equal(((long)count * bits + 7) / 8, bytes);
        var packed = new byte[bytes + 8];
        BitPacking.Pack(values, bits, packed);
        var back = new ulong[count];
        BitPacking.Unpack(packed.AsSpan(0, bytes), bits, back);
        Assert.Equal(values, back);
    }

    [Fact]
    public void Mixed_widths_round_trip_through_writer_and_reader()
    {
        var rng = new Random(5);
        var widths = Enumerable.Range(0, 500).Select(_ => rng.Next(1, 65)).ToArray();
        var values = widths.Select(w => (ulong)rng.NextInt64() & (w == 64 ? ulong.MaxValue : (1UL << w) - 1)).ToArray();
        var buffer = new byte[widths.Sum() / 8 + 16];
        var writer = new BitWriter(buffer);
        for (int i = 0; i < widths.Length; i++) writer.Write(values[i], widths[i]);
        long written = writer.BitsWritten;
        writer.Flush();
        Assert.Equal(widths.Sum(), written);
        var reader = new BitReader(buffer.AsSpan(0, (int)((written + 7) / 8)));
        for (int i = 0; i < widths.Length; i++) Assert.Equal(values[i], reader.Read(widths[i]));
    }

    [Fact]
    public void Bits_pack_eight_to_a_byte()
    {
        byte[] bits = [1, 0, 1, 1, 0, 0, 0, 1, 1];
        var packed = new byte[2];
        BitPacking.PackBits(bits, packed);
        Assert.Equal(new byte[] { 0b1000_1101, 1 }, packed);
        var back = new byte[bits.Length];
        BitPacking.UnpackBits(packed, back);
        Assert.Equal(bits, back);
    }
}
