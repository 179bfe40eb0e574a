using System.Globalization;
using System.Text.RegularExpressions;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// A running `copriv serve`: started with an OS-chosen port, ready once it has printed its cluster node, data plane and
/// certificate lines, which give the addresses clients use and the fingerprint they pin.
/// </summary>
internal sealed partial class ServeProcess : CoprivProcess
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private ServeProcess(System.Diagnostics.ProcessStartInfo info) : base("copriv serve", info) { }

    /// <summary>
    /// Starts `copriv serve --listen HOST:0 --state-dir DIR` with <paramref name="arguments"/> and waits (bounded) until
    /// it is ready. The state directory holds the server's certificate: a fresh one per server unless a test shares it.
    /// </summary>
    public static ServeProcess Start(string stateDirectory, IEnumerable<string> arguments, string listenHost = "127.0.0.1",
        IReadOnlyDictionary<string, string>? environment = null, string? networkNamespace = null)
    {
        var info = CoprivExecutable.StartInfo(
            ["serve", "--listen", $"{listenHost}:0", "--state-dir", stateDirectory, .. arguments], environment, networkNamespace);
        var server = new ServeProcess(info);
        try
        {
            var node = Match(server.WaitForLine(ClusterNodeLine().IsMatch, ReadyTimeout, "cluster node line"), ClusterNodeLine());
            server.Address = node.Groups["address"].Value;
            server.NodeAddress = node.Groups["node"].Value;
            var plane = Match(server.WaitForLine(DataPlaneLine().IsMatch, ReadyTimeout, "data plane line"), DataPlaneLine());
            server.DataPlanePort = int.Parse(plane.Groups["port"].Value, CultureInfo.InvariantCulture);
            server.Fingerprint = Match(server.WaitForLine(CertificateLine().IsMatch, ReadyTimeout, "certificate line"),
                CertificateLine()).Groups["fingerprint"].Value;
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>HOST:PORT of the server's Akka.Remote, what `copriv infer --server` takes.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The full node address (akka.ssl.tcp://copriv@HOST:PORT), what clients' messages name.</summary>
    public string NodeAddress { get; private set; } = "";

    public int DataPlanePort { get; private set; }

    /// <summary>The SHA-256 fingerprint of the server's certificate (hex).</summary>
    public string Fingerprint { get; private set; } = "";

    /// <summary>Waits (bounded) for the next session log line after line number <paramref name="after"/>.</summary>
    public string WaitForSessionLine(TimeSpan timeout, int after) =>
        WaitForLine(SessionLine().IsMatch, timeout, "session log line", after);

    private static Match Match(string line, Regex pattern) => pattern.Match(line);

    [GeneratedRegex(@"^copriv serve: cluster node (?<node>akka(\.ssl)?\.tcp://copriv@(?<address>[^ ]+:\d+)) ")]
    private static partial Regex ClusterNodeLine();

    [GeneratedRegex(@"^copriv serve: data plane [^ ]+:(?<port>\d+) ")]
    private static partial Regex DataPlaneLine();

    [GeneratedRegex(@"^copriv serve: certificate SHA-256 (?<fingerprint>[0-9a-f]{64}) ")]
    private static partial Regex CertificateLine();

    [GeneratedRegex(@"\] session [0-9a-z]+ from .*, (completed|failed at)")]
    private static partial Regex SessionLine();
}
