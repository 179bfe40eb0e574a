using System.Buffers;

namespace CoPriv.Network.FlowControl;

/// <summary>
/// A whole message in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; whoever holds it returns the buffer
/// with <see cref="Release"/> once the bytes are used.
/// </summary>
public readonly record struct PooledMessage(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
