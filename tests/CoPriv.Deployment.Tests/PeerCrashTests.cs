using CoPriv.TestSupport;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 4 of issue 10, crashes: when either process is killed with SIGKILL in the middle of a session, the
/// other notices by the lost connection (not by a wait running out), says where it was, and (the server) frees the
/// session and goes on serving. The issue's 5 s is a wall-clock claim, which load distorts: it is asserted when
/// COPRIV_HEAVY_TESTS=1 (<see cref="HeavyTests"/>) and printed always (0.3–1.7 s on the idle 2-core machine).
/// </summary>
public sealed partial class PeerCrashTests(ITestOutputHelper output) : IDisposable
{
    // MiniONN at width 0.5: a session of several seconds (setup alone about one), long enough for a kill to land in it.
    private static readonly string[] Spec = ["--model", "minionn", "--protocol", "copriv", "--width", "0.5"];
    private static readonly TimeSpan DetectionDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void KilledServer_ClientExitsNonZeroWithinFiveSeconds_NamingTheServerAndTheLayer()
    {
        using var server = ServeProcess.Start(_state.Path, Spec);
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, []);
        WaitUntilInTheSession(client, server, mark);
        Assert.False(client.HasExited, client.Diagnosis);

        server.Kill();
        var sinceKill = Stopwatch.StartNew();
        int exit = client.WaitForExit(Bound);
        var detected = sinceKill.Elapsed;
        output.WriteLine(FormattableString.Invariant($"the client exited {detected.TotalSeconds:0.00} s after the server was killed: {client.ErrorLine}"));

        Assert.NotEqual(0, exit);
        if (HeavyTests.Enabled)
            Assert.True(detected < DetectionDeadline, $"the client exited {detected.TotalSeconds:0.00} s after the server was killed:\n{client.Diagnosis}");
        var error = client.ErrorLine;
        Assert.NotNull(error);
        Assert.Contains($"with the server at {server.NodeAddress}", error);
        Assert.Matches(FailedStep(), error);
        // Noticed by the connection's end (a reset while reading, a gone peer while sending), not by a bounded wait
        // that ran out ("no message from the peer within …").
        Assert.Contains("ChannelClosedException", error);
        Assert.DoesNotContain("no message from the peer within", error);
    }

    [Fact]
    public void KilledClient_ServerFreesTheSessionAndItsMemoryWithinFiveSeconds_AndServesTheNextClient()
    {
        using var server = ServeProcess.Start(_state.Path, Spec);
        // The first session warms the server up (JIT, thread pool, the pooled buffers every session reuses): the level
        // a serving server returns to between sessions is the one after a session, not the one before its first.
        RunToCompletion(server);
        long before = SettledResidentBytes(server);

        int mark = server.LineCount;
        using (var client = InferProcess.Start(server, []))
        {
            WaitUntilInTheSession(client, server, mark);
            Assert.False(client.HasExited, client.Diagnosis);
            long during = WhenTheSessionHolds(server, before + SessionFootprint);
            client.Kill();
            var sinceKill = Stopwatch.StartNew();
            var line = server.WaitForSessionLine(Bound, mark);
            var detected = sinceKill.Elapsed;
            Assert.True(line.Contains("failed at the server in", StringComparison.Ordinal), line);
            if (HeavyTests.Enabled)
                Assert.True(detected < DetectionDeadline, $"the server logged the session's end {detected.TotalSeconds:0.00} s after the client was killed:\n{line}");

            long after = SettledResidentBytes(server);
            output.WriteLine(FormattableString.Invariant(
                $"server RSS: {before >> 20} MiB before the session, {during >> 20} MiB in it, {after >> 20} MiB once it was freed ({detected.TotalSeconds:0.00} s after the kill)"));
            // An idle .NET process's RSS moves by tens of MiB without any leak: the GC's allocation budgets, the
            // stacks of the pool threads that ran the killed session, pooled buffers returned in another order. A
            // session that is not freed keeps its whole footprint (about 100 MiB at this width), which this catches.
            Assert.True(after <= before + MemoryTolerance,
                FormattableString.Invariant($"the server held {after >> 20} MiB after the killed session was freed, {before >> 20} MiB before it ({during >> 20} MiB during it)"));
        }

        RunToCompletion(server);
    }

    private const long MemoryTolerance = 48L << 20;
    // Part of what the session's pre-processing holds by the end of its first step (about 50 MiB at this width).
    private const long SessionFootprint = 24L << 20;

    /// <summary>
    /// The server's RSS once it has reached <paramref name="level"/> (polled every 10 ms, at most 10 s), so that the
    /// kill lands when the session holds memory worth freeing, not at its very start.
    /// </summary>
    private static long WhenTheSessionHolds(ServeProcess server, long level)
    {
        var waited = Stopwatch.StartNew();
        long resident = server.ResidentBytes;
        while (resident < level && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
            resident = server.ResidentBytes;
        }
        return resident;
    }

    private static void RunToCompletion(ServeProcess server)
    {
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, ["--json"]);
        Assert.True(client.WaitForExit(Bound) == 0, client.Diagnosis);
        Assert.True(client.JsonReport().GetProperty("predictionExact").GetBoolean());
        Assert.Contains("completed", server.WaitForSessionLine(Bound, mark));
    }

    /// <summary>
    /// Until the session runs its steps: the server has logged that it runs them over the data plane (after
    /// <paramref name="mark"/>). The kill then lands in the first step, which pre-processes every layer ahead of the
    /// input (about two thirds of the session, and the bulk of its bytes). Waiting for the first step's end left only
    /// the short online phase (about a second), which a loaded machine could finish before the kill landed; a fixed
    /// sleep after the offer could land the kill before any step.
    /// </summary>
    private static void WaitUntilInTheSession(InferProcess client, ServeProcess server, int mark)
    {
        client.WaitForLine(l => l.StartsWith("copriv infer: ", StringComparison.Ordinal) && l.Contains(" serves "), Bound, "the offer it is served");
        server.WaitForLine(l => l.Contains("] running ", StringComparison.Ordinal) && l.Contains(" steps with ", StringComparison.Ordinal),
            Bound, "the start of the session's steps", mark);
    }

    /// <summary>The server's RSS once it stops moving (two readings 250 ms apart within 1 MiB; at most 10 s).</summary>
    private static long SettledResidentBytes(ServeProcess server)
    {
        long previous = server.ResidentBytes;
        for (int i = 0; i < 40; i++)
        {
            Thread.Sleep(250);
            long current = server.ResidentBytes;
            if (Math.Abs(current - previous) < 1 << 20) return current;
            previous = current;
        }
        return previous;
    }

    [GeneratedRegex(@"failed at the client in (setup|layer-\d+-[a-z0-9]+)")]
    private static partial Regex FailedStep();
}
