namespace CoPriv.Pbm.Tests;

/// <summary>A test that drives pbm's prompt in a real terminal (tmux); reported as skipped, with the reason, where tmux is missing.</summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, "tmux"))))
            Skip = "tmux is not installed (apt-get install -y tmux): the interactive prompt needs a real terminal to be tested";
    }
}
