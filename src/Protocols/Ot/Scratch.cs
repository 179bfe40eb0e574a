namespace CoPriv.Protocols.Ot;

/// <summary>Reusable buffers that grow to the largest size asked for.</summary>
internal static class Scratch
{
    public static Span<T> Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }
}
