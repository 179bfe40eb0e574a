using CoPriv.Protocols.Core;

namespace CoPriv.Network.Transport;

/// <summary>
/// The in-process meeting point of the two ends of a simulated or emulated link: for each stream name, one queue per
/// direction, and the closing of either end (which ends the peer's receives and this end's own).
/// </summary>
internal sealed class StreamPairHub(TimeSpan receiveTimeout)
{
    private readonly Dictionary<string, (InboundMessageQueue ToServer, InboundMessageQueue ToClient)> _pairs =
        new(StringComparer.Ordinal);
    private string? _serverClosed, _clientClosed;

    /// <summary>(the queue this role sends into, the queue it receives from) for the stream.</summary>
    public (InboundMessageQueue Outgoing, InboundMessageQueue Incoming) Open(PartyRole role, string name)
    {
        lock (_pairs)
        {
            if (!_pairs.TryGetValue(name, out var pair))
            {
                pair = (new InboundMessageQueue(name, receiveTimeout), new InboundMessageQueue(name, receiveTimeout));
                if (_serverClosed is not null) pair.ToClient.CloseWriter(_serverClosed);
                if (_clientClosed is not null) pair.ToServer.CloseWriter(_clientClosed);
                _pairs.Add(name, pair);
            }
            return role == PartyRole.Server ? (pair.ToClient, pair.ToServer) : (pair.ToServer, pair.ToClient);
        }
    }

    public void Close(PartyRole who, string reason)
    {
        lock (_pairs)
        {
            if (who == PartyRole.Server) _serverClosed ??= reason; else _clientClosed ??= reason;
            foreach (var (toServer, toClient) in _pairs.Values)
            {
                (who == PartyRole.Server ? toClient : toServer).CloseWriter(reason);
                (who == PartyRole.Server ? toServer : toClient).CloseReader(reason);
            }
        }
    }
}
