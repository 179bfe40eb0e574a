using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// A server and a client context over in-memory channels, set up once (the base OTs are the slow part) and then
/// used for several protocol calls. Each <see cref="Run{TS,TC}"/> runs both parties on their own threads, resets the
/// meters first and returns the traffic of that call alone.
/// </summary>
internal sealed class SessionPair : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(60);

    private SessionPair(PartyContext server, PartyContext client)
    {
        Server = server;
        Client = client;
    }

    public PartyContext Server { get; }
    public PartyContext Client { get; }

    public static SessionPair Create(ulong seed = 1)
    {
        var (s, c) = InMemoryChannel.CreatePair(ReceiveTimeout);
        var server = Task.Run(() => PartyContext.Create(s, AesPrg.FromTestSeed(seed, 1)));
        var client = Task.Run(() => PartyContext.Create(c, AesPrg.FromTestSeed(seed, 2)));
        Task.WaitAll(server, client);
        return new SessionPair(server.Result, client.Result);
    }

    public CallResult<TS, TC> Run<TS, TC>(Func<PartyContext, TS> server, Func<PartyContext, TC> client)
    {
        Server.Meter.Reset();
        Client.Meter.Reset();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var s = Start(Server, server);
        var c = Start(Client, client);
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
        return new CallResult<TS, TC>(s.Result, c.Result,
            CommunicationCost.Measured(Server.Meter, Client.Meter), sw.Elapsed);
    }

    private static Task<T> Start<T>(PartyContext ctx, Func<PartyContext, T> body) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                return body(ctx);
            }
            catch (Exception e)
            {
                ctx.Channel.Fail($"{ctx.Role.ToString().ToLowerInvariant()} failed: {e.Message}");
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}

internal sealed record CallResult<TS, TC>(TS Server, TC Client, CommunicationCost Cost, TimeSpan Elapsed);
