using System.Text;

namespace CoPriv.TestSupport;

/// <summary>
/// A text writer that one thread may write while another reads it: a command running in the background (pbm's
/// tails) writes here while the test polls <see cref="ToString"/>. A plain <see cref="StringWriter"/> is not safe
/// for that: reading while a write grows the builder can throw.
/// </summary>
public sealed class ConcurrentStringWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public override Encoding Encoding => Encoding.Unicode;

    public override void Write(char value)
    {
        lock (_gate) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_gate) _text.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate) _text.Append(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate) _text.Append(buffer);
    }

    public override string ToString()
    {
        lock (_gate) return _text.ToString();
    }
}
