using System.Text.RegularExpressions;
using static CoPriv.Pbm.Tests.PbmRun;

namespace CoPriv.Pbm.Tests;

/// <summary>`copriv run --inspect`: the one in-process session, seen through pbm while it runs.</summary>
public sealed class RunInspectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pbm_shows_the_in_process_runs_session_with_layer_progress_and_bytes_beside_the_prediction_and_kill_ends_the_run()
    {
        using var run = NodeProcess.Copriv(null, "run", "--model", "resnet32", "--width", "0.25", "--protocol", "copriv", "--quiet",
            "--inspect", "127.0.0.1:0");
        var endpoint = await run.InspectorAsync(Patience);

        var session = await Until(r => Regex.IsMatch(r.Output, @"layer-01-conv3x3\s+Succeeded"), Patience, endpoint, "copriv", "session", "run");
        Assert.Contains("session run at the server:", session.Output);
        Assert.Contains("data plane: in-memory channel (both parties in this process)", session.Output);
        // The first convolution's measured bytes, and the cost model's prediction beside them, agree.
        var row = Regex.Match(session.Output, @"layer-01-conv3x3\s+Succeeded\s+100 %\s+(\S+ \S+)\s+(\S+ \S+)\s+(\S+ \S+) / (\S+ \S+)");
        Assert.True(row.Success, session.Output);
        Assert.Equal((row.Groups[1].Value, row.Groups[2].Value), (row.Groups[3].Value, row.Groups[4].Value));

        var kill = await Run(endpoint, "copriv", "kill", "run", "maintenance", "window");
        Assert.Equal(PbmApp.Ok, kill.Exit);
        Assert.Contains("session run is being failed at the server and client (maintenance window)", kill.Output);
        Assert.Equal(1, await run.ExitCodeAsync(Patience));
        Assert.Matches(@"copriv: error: session run failed in layer-\d\d-[a-z0-9]+: killed at the server: maintenance window", run.Stderr);
        // The report is not printed: the run did not finish.
        Assert.DoesNotContain("matches the reference executor", run.Stdout);
    }
}
