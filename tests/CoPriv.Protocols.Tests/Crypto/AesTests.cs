using System.Security.Cryptography;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Crypto;

public class AesTests
{
    [Fact]
    public void Matches_the_FIPS_197_AES_128_test_vector()
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var plain = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var output = new byte[16];
        new Aes128(key).EncryptBlocks(plain, output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexString(output).ToLowerInvariant());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1001)]
    public void Pipelined_blocks_agree_with_the_platform_AES(int blocks)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var plain = RandomNumberGenerator.GetBytes(16 * blocks);
        var ours = new byte[plain.Length];
        new Aes128(key).EncryptBlocks(plain, ours);
        using var platform = Aes.Create();
        platform.Key = key;
        Assert.Equal(platform.EncryptEcb(plain, PaddingMode.None), ours);
    }

    [Fact]
    public void Rejects_partial_blocks_and_wrong_key_sizes()
    {
        Assert.Throws<ArgumentException>(() => new Aes128(new byte[15]));
        Assert.Throws<ArgumentException>(() => new Aes128(new byte[16]).EncryptBlocks(new byte[17], new byte[32]));
    }
}
