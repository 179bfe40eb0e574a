using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// The same evidence over the Ferret backend, for the protocols that use each way Ferret derives an OT: chosen-choice
/// COTs with flip bits (ReLU's multiplexer, the AND gates' triples), 1-out-of-N from ⌈log₂ N⌉ COTs (the millionaires'
/// leaves), random COTs without a request (the triple store). The secure parameters leave ten million COTs after the
/// setup, more than the runs take, so every run's view holds the protocol's messages only (an iteration's message
/// depends on no input; its privacy is Ferret's, not the harness's).
/// </summary>
public sealed class FerretTranscriptPrivacyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Protocols() => new()
    {
        "millionaires' x > y",
        "ReLU, chosen-message OTs",
        "multiplexer",
        "AND",
        "bit-triple pre-processing",
    };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_server_view_does_not_depend_on_the_client_input_over_ferret(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Server, output, OtBackend.Ferret);

    [Theory]
    [MemberData(nameof(Protocols))]
    public void The_client_view_does_not_depend_on_the_server_input_over_ferret(string protocol) =>
        PrivacyRegistry.AssertPrivate(protocol, PartyRole.Client, output, OtBackend.Ferret);
}
