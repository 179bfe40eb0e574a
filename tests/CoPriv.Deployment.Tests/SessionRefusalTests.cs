namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 4 of issue 10, refusals: a client that asks for another plan, a client too many, and a client that pins
/// another certificate are each turned away with one error line that says why, and exit code 1.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class SessionRefusalTests(SharedServer shared) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly TemporaryDirectory _otherState = new();

    public void Dispose() => _otherState.Dispose();

    [Theory]
    [InlineData("--protocol", "cryptflow2", "protocol: copriv here, cryptflow2 there")]
    [InlineData("--ell", "37", "ell: 41 here, 37 there")]
    [InlineData("--width", "0.5", "width: 0.25 here, 0.5 there")]
    public void ClientAskingForAnotherPlan_IsRefusedWithTheDifferenceNamed(string option, string value, string difference)
    {
        var server = shared.Server;
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, [option, value]);

        Assert.Equal(1, client.WaitForExit(Bound));
        client.AssertErrorContains($"the client's run spec differs from this server's: {difference}");
        server.WaitForLine(l => l.Contains(" refused: ") && l.Contains(difference), Bound, "the refusal", mark);
    }

    /// <summary>
    /// Two sessions at once against a server that runs one: a single client asks for both together (`--sessions 2`),
    /// so they overlap however slowly processes start. Two client processes raced: under load the second one started
    /// after the first one's session of a few seconds had ended, and both were served.
    /// </summary>
    [Fact]
    public void SessionsBeyondMaxSessions_AreRefusedAsServerBusy()
    {
        var server = shared.Server;
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, ["--sessions", "2"]);

        Assert.Equal(1, client.WaitForExit(Bound));
        client.AssertErrorContains("server busy");
        server.WaitForLine(l => l.Contains(" refused: ") && l.Contains("server busy"), Bound, "the busy refusal", mark);
    }

    [Fact]
    public void ClientPinningAnotherCertificate_IsRefusedBeforeAnySession()
    {
        var server = shared.Server;
        using var other = CoprivProcess.Start("copriv serve --print-fingerprint", ["serve", "--print-fingerprint", "--state-dir", _otherState.Path]);
        Assert.Equal(0, other.WaitForExit(Bound));
        string otherFingerprint = other.StandardOutput.Single().Trim();
        Assert.NotEqual(server.Fingerprint, otherFingerprint);
        int mark = server.LineCount;

        using var client = InferProcess.Start(server, ["--server-fingerprint", otherFingerprint]);

        Assert.NotEqual(0, client.WaitForExit(Bound));
        client.AssertErrorContains($"states a certificate with fingerprint {server.Fingerprint[..8]}");
        Assert.Contains("which is not the pinned one", client.ErrorLine);
        Assert.DoesNotContain(server.StandardOutput.Skip(mark), l => l.Contains("] session "));
    }
}
