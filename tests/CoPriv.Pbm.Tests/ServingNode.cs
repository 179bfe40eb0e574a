namespace CoPriv.Pbm.Tests;

/// <summary>
/// A real `copriv serve` process (ResNet-32 at width 0.5, TLS, OS-chosen ports) with its inspector on loopback and
/// a token, shared by the tests of one class; clients are `copriv infer` processes started by the tests.
/// </summary>
public sealed class ServingNode : IAsyncLifetime
{
    public const string Token = "pbm-test-token";
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _state = Directory.CreateTempSubdirectory("pbm-serve-").FullName;
    private NodeProcess _server = null!;

    /// <summary>The server's Akka.Remote address, HOST:PORT.</summary>
    public string ServerAddress { get; private set; } = "";

    /// <summary>The server's inspector, HOST:PORT.</summary>
    public string Inspector { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = NodeProcess.Copriv(new Dictionary<string, string> { ["COPRIV_INSPECTOR_TOKEN"] = Token },
            "serve", "--model", "resnet32", "--width", "0.5", "--protocol", "copriv", "--listen", "127.0.0.1:0",
            "--state-dir", _state, "--inspect", "127.0.0.1:0");
        ServerAddress = (await _server.WaitForAsync(@"cluster node akka\.ssl\.tcp://copriv@(127\.0\.0\.1:\d+)", Patience)).Groups[1].Value;
        Inspector = await _server.InspectorAsync(Patience);
    }

    /// <summary>A client node running one session against this server.</summary>
    internal NodeProcess StartClient() => NodeProcess.Copriv(null, "infer", "--server", ServerAddress, "--timeout", "120");

    public Task DisposeAsync()
    {
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
        return Task.CompletedTask;
    }
}
