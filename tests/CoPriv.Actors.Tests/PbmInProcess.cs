using CoPriv.Pbm;

namespace CoPriv.Actors.Tests;

/// <summary>Runs one pbm command in this process against an inspector, capturing its exit code and both outputs.</summary>
internal static class PbmInProcess
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int exit = await PbmApp.RunAsync(args, output, error, TimeSpan.FromSeconds(10));
        return (exit, output.ToString(), error.ToString());
    }
}
