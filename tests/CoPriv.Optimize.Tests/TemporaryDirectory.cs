namespace CoPriv.Optimize.Tests;

/// <summary>A fresh directory under the system's temporary one, deleted with its files at the end of a test.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"copriv-optimize-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open elsewhere; the OS cleans temp */ }
    }
}
