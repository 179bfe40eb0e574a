using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Statistical evidence for the semi-honest simulation argument of every non-linear protocol, in both directions:
/// what a party receives is distributed alike whatever the peer's secret input, and every masked opening is uniform.
/// </summary>
public sealed class NonLinearTranscriptPrivacyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Protocols() => new(NonLinearPrivacyCases.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_server_view_does_not_depend_on_the_client_input_and_its_openings_are_uniform(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Server, output);

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_client_view_does_not_depend_on_the_server_input_and_its_openings_are_uniform(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Client, output);
}
