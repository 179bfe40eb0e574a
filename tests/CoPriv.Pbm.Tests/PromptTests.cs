using System.Text.RegularExpressions;
using static CoPriv.Pbm.Tests.PbmRun;

namespace CoPriv.Pbm.Tests;

/// <summary>pbm's interactive prompt in a real terminal (tmux), against a real `copriv simulate --inspect`.</summary>
public sealed class PromptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _out = Directory.CreateTempSubdirectory("pbm-prompt-").FullName;

    [TmuxFact]
    public async Task The_prompt_completes_commands_and_a_live_session_id_recalls_history_and_says_in_one_line_that_the_node_is_gone()
    {
        using var simulation = SimulationInspectionTests.StartSimulation(_out);
        var endpoint = await simulation.InspectorAsync(Patience);
        const string id = SimulationInspectionTests.SessionId;
        await Until(r => r.Output.Contains($"{id}  Running"), Patience, endpoint, "copriv", "sessions");

        using var terminal = new TmuxTerminal($"dotnet {Path.Combine(AppContext.BaseDirectory, "pbm.dll")} {endpoint}");
        await terminal.WaitForAsync(s => s.Contains($"pbm: connected to {endpoint}"), Patience);

        terminal.Type("copriv ses");
        terminal.Press("Tab");
        await terminal.WaitForAsync(s => s.Contains($"{endpoint}> copriv session"), Patience);
        terminal.Type(" cop");
        terminal.Press("Tab");
        await terminal.WaitForAsync(s => s.Contains($"{endpoint}> copriv session {id}"), Patience);
        terminal.Press("Enter");
        await terminal.WaitForAsync(s => s.Contains($"session {id} at the server: Running") || s.Contains($"session {id} at the server: Completed"), Patience);

        terminal.Press("Up");
        await terminal.WaitForAsync(s => s.TrimEnd().EndsWith($"{endpoint}> copriv session {id}"), Patience);
        terminal.Press("C-u");

        simulation.Kill();
        terminal.Type("copriv sessions");
        terminal.Press("Enter");
        var screen = await terminal.WaitForAsync(s => s.Contains($"pbm: cannot reach an inspector at {endpoint}"), Patience);
        Assert.Single(Regex.Matches(screen, "pbm: cannot reach"));
        Assert.DoesNotContain("   at ", screen);
        Assert.DoesNotContain("Exception", screen);

        terminal.Type("exit");
        terminal.Press("Enter");
        await terminal.WaitForAsync(_ => !terminal.IsRunning, Patience);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
