using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace CoPriv.Protocols.Crypto;

/// <summary>
/// AES-128 encryption of many independent blocks (ECB), the primitive under the PRG and the correlation-robust hash.
/// Uses AES-NI through <see cref="System.Runtime.Intrinsics.X86.Aes"/>, eight blocks in flight to hide the round
/// latency; where AES-NI is absent it falls back to the platform's AES (<see cref="System.Security.Cryptography.Aes"/>),
/// which computes the same function.
/// </summary>
public sealed class Aes128
{
    public const int BlockBytes = 16;
    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[11];
    private readonly System.Security.Cryptography.Aes? _fallback;

    public Aes128(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
            throw new ArgumentException($"an AES-128 key has 16 bytes, got {key.Length}", nameof(key));
        if (HardwareAccelerated)
        {
            ExpandKey(Vector128.Create(key), _roundKeys);
        }
        else
        {
            _fallback = System.Security.Cryptography.Aes.Create();
            _fallback.Key = key.ToArray();
        }
    }

    /// <summary>
    /// True when AES-NI is used (unless <see cref="PortableCodePaths"/> asks otherwise for this call); otherwise the
    /// platform AES does the work. Read once, when an instance is made.
    /// </summary>
    public static bool HardwareAccelerated => X86Aes.IsSupported && Sse2.IsSupported && !PortableCodePaths.Forced;

    /// <summary>Encrypts src (a whole number of 16-byte blocks) into dst; the two may be the same memory.</summary>
    public void EncryptBlocks(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (src.Length % BlockBytes != 0 || dst.Length < src.Length)
            throw new ArgumentException($"AES input must be whole blocks and fit the output ({src.Length} → {dst.Length} bytes)");
        if (_fallback is not null)
        {
            _fallback.EncryptEcb(src, dst[..src.Length], System.Security.Cryptography.PaddingMode.None);
            return;
        }
        EncryptBlocksHw(MemoryMarshal.Cast<byte, Vector128<byte>>(src), MemoryMarshal.Cast<byte, Vector128<byte>>(dst));
    }

    /// <summary>Encrypts blocks given as pairs of ulongs (low, high).</summary>
    public void EncryptBlocks(ReadOnlySpan<ulong> src, Span<ulong> dst) =>
        EncryptBlocks(MemoryMarshal.AsBytes(src), MemoryMarshal.AsBytes(dst));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> EncryptBlock(Vector128<byte> b)
    {
        if (_fallback is not null)
        {
            Span<byte> tmp = stackalloc byte[16];
            b.CopyTo(tmp);
            _fallback.EncryptEcb(tmp, tmp, System.Security.Cryptography.PaddingMode.None);
            return Vector128.Create((ReadOnlySpan<byte>)tmp);
        }
        var k = _roundKeys;
        b ^= k[0];
        for (int r = 1; r < 10; r++) b = X86Aes.Encrypt(b, k[r]);
        return X86Aes.EncryptLast(b, k[10]);
    }

    private void EncryptBlocksHw(ReadOnlySpan<Vector128<byte>> src, Span<Vector128<byte>> dst)
    {
        var k = _roundKeys;
        Vector128<byte> k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5],
            k6 = k[6], k7 = k[7], k8 = k[8], k9 = k[9], k10 = k[10];
        int i = 0;
        for (; i + 8 <= src.Length; i += 8)
        {
            var b0 = src[i] ^ k0; var b1 = src[i + 1] ^ k0; var b2 = src[i + 2] ^ k0; var b3 = src[i + 3] ^ k0;
            var b4 = src[i + 4] ^ k0; var b5 = src[i + 5] ^ k0; var b6 = src[i + 6] ^ k0; var b7 = src[i + 7] ^ k0;
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k1);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k2);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k3);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k4);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k5);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k6);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k7);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k8);
            Round(ref b0, ref b1, ref b2, ref b3, ref b4, ref b5, ref b6, ref b7, k9);
            dst[i] = X86Aes.EncryptLast(b0, k10); dst[i + 1] = X86Aes.EncryptLast(b1, k10);
            dst[i + 2] = X86Aes.EncryptLast(b2, k10); dst[i + 3] = X86Aes.EncryptLast(b3, k10);
            dst[i + 4] = X86Aes.EncryptLast(b4, k10); dst[i + 5] = X86Aes.EncryptLast(b5, k10);
            dst[i + 6] = X86Aes.EncryptLast(b6, k10); dst[i + 7] = X86Aes.EncryptLast(b7, k10);
        }
        for (; i < src.Length; i++)
        {
            var b = src[i] ^ k0;
            b = X86Aes.Encrypt(b, k1); b = X86Aes.Encrypt(b, k2); b = X86Aes.Encrypt(b, k3);
            b = X86Aes.Encrypt(b, k4); b = X86Aes.Encrypt(b, k5); b = X86Aes.Encrypt(b, k6);
            b = X86Aes.Encrypt(b, k7); b = X86Aes.Encrypt(b, k8); b = X86Aes.Encrypt(b, k9);
            dst[i] = X86Aes.EncryptLast(b, k10);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2,
        ref Vector128<byte> b3, ref Vector128<byte> b4, ref Vector128<byte> b5, ref Vector128<byte> b6,
        ref Vector128<byte> b7, Vector128<byte> k)
    {
        b0 = X86Aes.Encrypt(b0, k); b1 = X86Aes.Encrypt(b1, k); b2 = X86Aes.Encrypt(b2, k);
        b3 = X86Aes.Encrypt(b3, k); b4 = X86Aes.Encrypt(b4, k); b5 = X86Aes.Encrypt(b5, k);
        b6 = X86Aes.Encrypt(b6, k); b7 = X86Aes.Encrypt(b7, k);
    }

    private static void ExpandKey(Vector128<byte> key, Vector128<byte>[] rk)
    {
        rk[0] = key;
        rk[1] = key = Step(key, X86Aes.KeygenAssist(key, 0x01));
        rk[2] = key = Step(key, X86Aes.KeygenAssist(key, 0x02));
        rk[3] = key = Step(key, X86Aes.KeygenAssist(key, 0x04));
        rk[4] = key = Step(key, X86Aes.KeygenAssist(key, 0x08));
        rk[5] = key = Step(key, X86Aes.KeygenAssist(key, 0x10));
        rk[6] = key = Step(key, X86Aes.KeygenAssist(key, 0x20));
        rk[7] = key = Step(key, X86Aes.KeygenAssist(key, 0x40));
        rk[8] = key = Step(key, X86Aes.KeygenAssist(key, 0x80));
        rk[9] = key = Step(key, X86Aes.KeygenAssist(key, 0x1b));
        rk[10] = Step(key, X86Aes.KeygenAssist(key, 0x36));
    }

    private static Vector128<byte> Step(Vector128<byte> key, Vector128<byte> assist)
    {
        var t = Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ t;
    }
}
