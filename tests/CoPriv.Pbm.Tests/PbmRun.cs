namespace CoPriv.Pbm.Tests;

/// <summary>pbm run in this process against a node's inspector, as a user would type it.</summary>
internal static class PbmRun
{
    public static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int exit = await PbmApp.RunAsync(args, output, error, TimeSpan.FromSeconds(20));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs pbm until <paramref name="done"/> holds or the time is up; the last answer either way.</summary>
    public static async Task<(int Exit, string Output, string Error)> Until(Func<(int Exit, string Output, string Error), bool> done,
        TimeSpan timeout, params string[] args)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var answer = await Run(args);
            if (done(answer) || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(200);
        }
    }
}
