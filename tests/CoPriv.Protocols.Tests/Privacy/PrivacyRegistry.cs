using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>Every protocol the privacy harness covers, and the assertion the privacy tests make about each.</summary>
internal static class PrivacyRegistry
{
    public static IReadOnlyList<PrivacyProtocol> All { get; } = [.. NonLinearPrivacyCases.All, .. LinearPrivacyCases.All];

    public static PrivacyProtocol Named(string name) => All.Single(p => p.Name == name);

    /// <summary>Fails with the positions that give the protocol away when the observer's view fails either judgement.</summary>
    public static void AssertPrivate(string name, PartyRole observer, ITestOutputHelper output, CoPriv.Protocols.Ot.OtBackend? ot = null)
    {
        var protocol = Named(name);
        var (findings, summary) = TranscriptPrivacy.Check(protocol, observer, ot);
        output.WriteLine($"{protocol.Name}{(ot is null ? "" : $" over {ot.Name}")}, {observer.ToString().ToLowerInvariant()}'s view: {summary}");
        output.WriteLine($"masked openings: {protocol.Openings.Description}");
        Assert.True(findings.Count == 0,
            $"{protocol.Name}: the {observer.ToString().ToLowerInvariant()}'s view fails {findings.Count} test(s) " +
            $"({findings.Count(f => f.StartsWith("(a)", StringComparison.Ordinal))} of independence from the peer's input, " +
            $"{findings.Count(f => f.StartsWith("(b)", StringComparison.Ordinal))} of uniform openings); {summary}:\n" +
            string.Join("\n", findings.Take(12)));
    }
}
