using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>Runs server and client with fixed seeds and a receive timeout, so a hang fails the test.</summary>
internal static class OtPair
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TwoPartyResult<TServer, TClient> Run<TServer, TClient>(
        Func<PartyContext, TServer> server, Func<PartyContext, TClient> client, ulong seed = 1, OtBackend? otBackend = null)
    {
        var (s, c) = InMemoryChannel.CreatePair(Timeout);
        return Run(s, c, server, client, seed, otBackend);
    }

    public static TwoPartyResult<TServer, TClient> Run<TServer, TClient>(IChannel serverChannel, IChannel clientChannel,
        Func<PartyContext, TServer> server, Func<PartyContext, TClient> client, ulong seed = 1, OtBackend? otBackend = null) =>
        TwoPartyRunner.Run(serverChannel, clientChannel,
            ch => server(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 1), otBackend)),
            ch => client(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 2), otBackend)));
}
