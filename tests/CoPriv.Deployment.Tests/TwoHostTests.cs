using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 5 of issue 10: server and client on two hosts — two network namespaces joined by a 100 Mbit/s link —
/// take as long as `copriv simulate` predicts for that bandwidth and the measured round-trip time.
/// </summary>
public sealed class TwoHostTests(ITestOutputHelper output) : IDisposable
{
    private const string Rate = "100mbit";
    private const double Tolerance = 0.15;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(300);

    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [NetworkNamespacesFact]
    public void SessionOverA100MbitLink_TakesTheTimeTheSimulatorPredicts()
    {
        using var hosts = new NetworkNamespaces(Rate);
        var rtt = hosts.MeasureRoundTrip();
        using var server = ServeProcess.Start(_state.Path, SharedServer.Spec, listenHost: NetworkNamespaces.ServerAddress,
            networkNamespace: hosts.Server);
        Assert.StartsWith(NetworkNamespaces.ServerAddress + ":", server.Address);
        using var client = InferProcess.Start(server, ["--json"], listenHost: NetworkNamespaces.ClientAddress, networkNamespace: hosts.Client);
        Assert.True(client.WaitForExit(Bound) == 0, client.Diagnosis);
        var report = client.JsonReport();
        Assert.True(report.GetProperty("predictionExact").GetBoolean());

        // The report's seconds: the client's session from its request to the last layer, what the simulator models;
        // the process's wall time would add .NET start-up, joining the cluster and planning, which it does not.
        double measured = report.GetProperty("seconds").GetDouble();
        double predicted = Simulated(rtt);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RTT {rtt.TotalMilliseconds:0.000} ms; session {measured:0.00} s measured, {predicted:0.00} s simulated ({(measured / predicted - 1) * 100:+0.0;-0.0} %)"));
        Assert.InRange(measured, predicted * (1 - Tolerance), predicted * (1 + Tolerance));
    }

    private double Simulated(TimeSpan rtt)
    {
        string rttText = rtt.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + "ms";
        using var simulate = CoprivProcess.Start("copriv simulate",
            ["simulate", .. SharedServer.Spec, "--bandwidth", Rate, "--rtt", rttText, "--json", "--out", Path.Combine(_state.Path, "simulate")]);
        Assert.True(simulate.WaitForExit(Bound) == 0, simulate.Transcript);
        using var report = JsonDocument.Parse(string.Join('\n', simulate.StandardOutput));
        return report.RootElement.GetProperty("protocols")[0].GetProperty("simulatedSeconds").GetDouble();
    }
}
