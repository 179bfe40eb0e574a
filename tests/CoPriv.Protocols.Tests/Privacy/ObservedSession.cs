using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// A server and a client session whose base OTs run once; every <see cref="Run"/> then gives each party a fresh
/// context around that session — a new private PRG seeded from the run's seed, OT endpoints that record what the OT
/// functionality hands the party — points the channel observers (under the whole session, OT streams included) at
/// the run's views, and returns both parties' views of that run. The OT extension instances carry on from run to
/// run, as they do in a real session.
/// </summary>
internal sealed class ObservedSession : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(60);
    private readonly PartyContext _server, _client;
    private readonly CurrentView _serverView, _clientView;

    private ObservedSession(PartyContext server, CurrentView serverView, PartyContext client, CurrentView clientView)
    {
        _server = server;
        _serverView = serverView;
        _client = client;
        _clientView = clientView;
    }

    public static ObservedSession Create(ulong seed, OtBackend? ot = null)
    {
        var (s, c) = InMemoryChannel.CreatePair(ReceiveTimeout);
        CurrentView serverView = new(), clientView = new();
        var server = Task.Run(() => PartyContext.Create(Observing(s, serverView), AesPrg.FromTestSeed(seed, 1), ot));
        var client = Task.Run(() => PartyContext.Create(Observing(c, clientView), AesPrg.FromTestSeed(seed, 2), ot));
        Task.WaitAll(server, client);
        return new ObservedSession(server.Result, serverView, client.Result, clientView);
    }

    private static IChannel Observing(IChannel channel, CurrentView view) =>
        new StreamWrappingChannel(channel, stream => new ObservingStream(stream, view));

    /// <summary>Runs both parties once, each with randomness derived from <paramref name="runSeed"/> alone.</summary>
    public (ReceivedView Server, ReceivedView Client) Run(ulong runSeed, Action<PartyContext> server, Action<PartyContext> client)
    {
        var serverView = new ReceivedView();
        var clientView = new ReceivedView();
        _serverView.View = serverView;
        _clientView.View = clientView;
        var s = Start(Observed(_server, serverView, AesPrg.FromTestSeed(runSeed, 1)), server);
        var c = Start(Observed(_client, clientView, AesPrg.FromTestSeed(runSeed, 2)), client);
        try
        {
            Task.WaitAll(s, c);
        }
        catch (AggregateException)
        {
            var errors = new[] { s.Exception?.InnerException, c.Exception?.InnerException }
                .Where(e => e is not null).Cast<Exception>().ToList();
            var root = errors.FirstOrDefault(e => e is not ChannelClosedException) ?? errors[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
        }
        finally
        {
            _serverView.View = null;
            _clientView.View = null;
        }
        return (serverView, clientView);
    }

    private static PartyContext Observed(PartyContext session, ReceivedView view, AesPrg prg) =>
        new(session.Channel, prg,
            new OtSession(session.Ot.Backend, new ObservingOtSender(session.Ot.Sender, view), new ObservingOtReceiver(session.Ot.Receiver, view)));

    private static Task Start(PartyContext ctx, Action<PartyContext> body) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                body(ctx);
            }
            catch (Exception e)
            {
                ctx.Channel.Fail($"{ctx.Role.ToString().ToLowerInvariant()} failed: {e.Message}");
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
    }
}
