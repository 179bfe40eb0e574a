namespace CoPriv.Deployment.Tests;

/// <summary>
/// One `copriv serve` of MiniONN at width 0.25 (a few seconds per session) shared by the tests of the
/// <see cref="SharedServerCollection"/>: they each read the log lines after their own mark. It runs one session at a
/// time (so two clients at once find it busy), and its data-plane handshake timeout is 3 s instead of 10 s so that a
/// silent peer's refusal is seen quickly.
/// </summary>
public sealed class SharedServer : IDisposable
{
    public static readonly string[] Spec = ["--model", "minionn", "--protocol", "copriv", "--width", "0.25"];

    private readonly TemporaryDirectory _state = new();

    public SharedServer()
    {
        Server = ServeProcess.Start(_state.Path, [.. Spec, "--max-sessions", "1"], environment: new Dictionary<string, string>
        {
            ["COPRIV_HOCON"] = "copriv.network.data-plane.handshake-timeout = 3s",
        });
    }

    internal ServeProcess Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServerCollection : ICollectionFixture<SharedServer>
{
    public const string Name = "shared minionn server";
}
