using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Statistical evidence for the semi-honest simulation argument of every linear layer and of the OT matrix product,
/// in both directions (the server's secret is its weights and its share):
/// what a party receives is distributed alike whatever the peer's secret input, and every masked opening is uniform.
/// </summary>
public sealed class LinearTranscriptPrivacyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Protocols() => new(LinearPrivacyCases.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_server_view_does_not_depend_on_the_client_input_and_its_openings_are_uniform(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Server, output);

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_client_view_does_not_depend_on_the_server_input_and_its_openings_are_uniform(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Client, output);
}
