namespace CoPriv.Deployment.Tests;

/// <summary>A fresh directory (a server's state: its certificate; input files) deleted with the test.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("copriv-deploy-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
