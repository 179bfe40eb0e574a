using System.Text.RegularExpressions;
using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Logging;
using CoPriv.Pbm;
using CoPriv.TestSupport;

namespace CoPriv.Actors.Tests;

/// <summary>The node's log as pbm sees it: the last lines, each naming its session and layer.</summary>
public sealed class InspectorLogTests : IAsyncLifetime
{
    private PartyHost _host = null!;
    private string _endpoint = "";

    public Task InitializeAsync()
    {
        _host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "logged", ServerPlanner = SumPlans.Planner(), Client = true,
            Inspector = new InspectorOptions("127.0.0.1", 0, null),
            Overrides = ConfigurationFactory.ParseString($"akka {{ loglevel = INFO, loggers = [\"{LogBufferLogger.TypeName}\"] }}"),
        });
        _endpoint = $"127.0.0.1:{_host.InspectorEndpoint!.Port}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<(int Exit, string Output, string Error)> Pbm(params string[] args) => PbmInProcess.RunAsync(args);

    [Fact]
    public async Task Log_peek_returns_the_last_lines_each_session_line_naming_its_session_and_layer()
    {
        await _host.RunSessionAsync(_host.Server!, SumPlans.ClientPlan(2, 64), TimeSpan.FromSeconds(20), SumPlans.Parameters(64, 1), "logged-1");

        var peek = await Eventually.Get(() => Pbm(_endpoint, "log", "peek", "-n", "20"), r => r.Output.Contains("completed"));
        Assert.Equal(0, peek.Exit);
        var lines = peek.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 8, 20);
        var sessionLines = lines.Where(l => l.Contains("session-logged-1")).ToArray();
        Assert.NotEmpty(sessionLines);
        Assert.All(sessionLines, l => Assert.Contains("[session logged-1", l));
        Assert.Contains(sessionLines, l => Regex.IsMatch(l, @"\[session logged-1 layer-0\d-\w+\] step \d/\d finished"));
        Assert.Contains(sessionLines, l => l.Contains("[session logged-1] completed"));

        var warnings = await Pbm(_endpoint, "log", "peek", "--level", "warning");
        Assert.DoesNotContain("finished", warnings.Output);
    }

    [Fact]
    public async Task Log_tail_follows_new_lines_until_the_client_hangs_up()
    {
        using var hangUp = new CancellationTokenSource();
        var (output, error) = (new ConcurrentStringWriter(), new ConcurrentStringWriter());
        var tail = PbmApp.RunAsync([_endpoint, "log", "tail"], output, error, TimeSpan.FromSeconds(10), hangUp.Token);

        await Eventually.Get(async () =>
        {
            await _host.RunSessionAsync(_host.Server!, SumPlans.ClientPlan(2, 64), TimeSpan.FromSeconds(20), SumPlans.Parameters(64, 1));
            return output.ToString();
            // A session that started before the tail attached shows only its later lines: run another until one
            // is followed from its first step to its end.
        }, text => text.Contains("completed") && text.Contains("-exchange] step 1/3 finished"), TimeSpan.FromSeconds(10));
        Assert.False(tail.IsCompleted);
        await hangUp.CancelAsync();
        Assert.Equal(0, await tail.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("-exchange] step 1/3 finished", output.ToString());
    }
}
