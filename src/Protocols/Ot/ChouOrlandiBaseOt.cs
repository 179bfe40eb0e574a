using System.Buffers.Binary;
using System.Security.Cryptography;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Chou–Orlandi "simplest OT" on NIST P-256, semi-honest, batched: the sender publishes one point A = aG for the
/// whole batch; for choice c_i the receiver answers B_i = b_iG + c_i·A; the keys are
/// k_{i,0} = H(aB_i), k_{i,1} = H(a(B_i − A)) on the sender's side and k_{i,c_i} = H(b_iA) on the receiver's.
/// The receiver learns only its chosen keys (the other needs the discrete log of A); the sender learns nothing
/// about the choices (B_i is uniform either way). Keys are 16 bytes, hashed with the transcript (A, B_i, i).
/// Two steps per side so that a party can run both OT directions of a session at once without waiting.
/// </summary>
internal static class ChouOrlandiBaseOt
{
    public const int KeyBytes = 16;
    public const int PointBytes = 33;

    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("P-256");
    private static readonly byte[] Domain = "CoPriv Chou-Orlandi base OT"u8.ToArray();

    /// <summary>The base-OT sender (the OT-extension receiver): it ends with both keys of every OT.</summary>
    public sealed class Sender
    {
        private readonly BigInteger _a;
        private readonly ECPoint _aTimesA;

        public Sender(AesPrg prg)
        {
            _a = RandomScalar(prg);
            var pointA = new FixedPointCombMultiplier().Multiply(Curve.G, _a).Normalize();
            FirstMessage = pointA.GetEncoded(true);
            _aTimesA = pointA.Multiply(_a).Normalize();
        }

        /// <summary>The encoding of A, sent first.</summary>
        public byte[] FirstMessage { get; }

        /// <summary>Reads the receiver's points (count × <see cref="PointBytes"/>) and derives key pairs.</summary>
        public void Finish(string stream, ReadOnlySpan<byte> receiverMessage, Span<byte> keys0, Span<byte> keys1)
        {
            int count = receiverMessage.Length / PointBytes;
            var shared0 = new ECPoint[count];
            var shared1 = new ECPoint[count];
            for (int i = 0; i < count; i++)
            {
                var b = DecodePoint(stream, receiverMessage.Slice(i * PointBytes, PointBytes));
                shared0[i] = b.Multiply(_a);
                shared1[i] = shared0[i].Subtract(_aTimesA);
            }
            Curve.Curve.NormalizeAll(shared0);
            Curve.Curve.NormalizeAll(shared1);
            for (int i = 0; i < count; i++)
            {
                var bEncoded = receiverMessage.Slice(i * PointBytes, PointBytes);
                DeriveKey(FirstMessage, bEncoded, i, shared0[i], keys0.Slice(i * KeyBytes, KeyBytes));
                DeriveKey(FirstMessage, bEncoded, i, shared1[i], keys1.Slice(i * KeyBytes, KeyBytes));
            }
        }
    }

    /// <summary>
    /// The base-OT receiver (the OT-extension sender): from A and its choice bits it makes its answer (count ×
    /// <see cref="PointBytes"/> bytes) and its chosen keys.
    /// </summary>
    public static byte[] Receive(string stream, ReadOnlySpan<byte> senderMessage, ReadOnlySpan<byte> choices, AesPrg prg, Span<byte> keys)
    {
        var pointA = DecodePoint(stream, senderMessage);
        var comb = new FixedPointCombMultiplier();
        var answers = new ECPoint[choices.Length];
        var shared = new ECPoint[choices.Length];
        for (int i = 0; i < choices.Length; i++)
        {
            var b = RandomScalar(prg);
            var bG = comb.Multiply(Curve.G, b);
            answers[i] = choices[i] == 0 ? bG : bG.Add(pointA);
            shared[i] = comb.Multiply(pointA, b);
        }
        Curve.Curve.NormalizeAll(answers);
        Curve.Curve.NormalizeAll(shared);
        var message = new byte[choices.Length * PointBytes];
        for (int i = 0; i < choices.Length; i++)
        {
            var encoded = message.AsSpan(i * PointBytes, PointBytes);
            answers[i].GetEncoded(true).CopyTo(encoded);
            DeriveKey(senderMessage, encoded, i, shared[i], keys.Slice(i * KeyBytes, KeyBytes));
        }
        return message;
    }

    private static BigInteger RandomScalar(AesPrg prg)
    {
        // 320 random bits reduced mod n: the bias is below 2^-64.
        Span<byte> bytes = stackalloc byte[40];
        while (true)
        {
            prg.Fill(bytes);
            var k = new BigInteger(1, bytes).Mod(Curve.N);
            if (k.SignValue != 0) return k;
        }
    }

    private static ECPoint DecodePoint(string stream, ReadOnlySpan<byte> encoded)
    {
        ECPoint point;
        try
        {
            point = Curve.Curve.DecodePoint(encoded.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ProtocolException($"stream '{stream}': the peer sent an invalid P-256 point in the base OTs", e);
        }
        if (point.IsInfinity)
            throw new ProtocolException($"stream '{stream}': the peer sent the point at infinity in the base OTs");
        return point;
    }

    private static void DeriveKey(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int index, ECPoint shared, Span<byte> key)
    {
        var point = shared.GetEncoded(true);
        Span<byte> input = stackalloc byte[Domain.Length + 2 * PointBytes + 4 + point.Length];
        Domain.CopyTo(input);
        a.CopyTo(input[Domain.Length..]);
        b.CopyTo(input[(Domain.Length + PointBytes)..]);
        BinaryPrimitives.WriteInt32LittleEndian(input[(Domain.Length + 2 * PointBytes)..], index);
        point.CopyTo(input[(Domain.Length + 2 * PointBytes + 4)..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        digest[..KeyBytes].CopyTo(key);
    }
}
