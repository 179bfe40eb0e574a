namespace CoPriv.Pbm;

/// <summary>The inspector pbm talks to, and how: its token (if any), JSON output, how long to wait for a frame.</summary>
public sealed record PbmTarget(string Host, int Port, string? Token, bool Json, TimeSpan IdleTimeout)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
