using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>The outcome of running both parties: each one's result and traffic meter.</summary>
public sealed record TwoPartyResult<TServer, TClient>(
    TServer Server, TClient Client, TrafficMeter ServerMeter, TrafficMeter ClientMeter, TimeSpan Elapsed);

/// <summary>
/// Runs the server and the client of a protocol in this process, each on its own thread, over an
/// <see cref="InMemoryChannel"/> pair (or channels the caller supplies). When one party throws, its channel is failed
/// so that the other stops at once instead of waiting; the first party's exception is rethrown.
/// </summary>
public static class TwoPartyRunner
{
    public static TwoPartyResult<TServer, TClient> Run<TServer, TClient>(
        Func<IChannel, TServer> server, Func<IChannel, TClient> client, TimeSpan? receiveTimeout = null)
    {
        var (s, c) = InMemoryChannel.CreatePair(receiveTimeout);
        return Run(s, c, server, client);
    }

    public static TwoPartyResult<TServer, TClient> Run<TServer, TClient>(
        IChannel serverChannel, IChannel clientChannel, Func<IChannel, TServer> server, Func<IChannel, TClient> client)
    {
        if (serverChannel.Role != PartyRole.Server || clientChannel.Role != PartyRole.Client)
            throw new ArgumentException("the first channel must be the server's end and the second the client's");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var serverTask = Start(serverChannel, server);
        var clientTask = Start(clientChannel, client);
        try
        {
            Task.WaitAll(serverTask, clientTask);
        }
        catch (AggregateException)
        {
            // Report the root cause: the party whose failure was not merely the other side closing.
            var errors = new[] { serverTask.Exception?.InnerException, clientTask.Exception?.InnerException }
                .Where(e => e is not null).Cast<Exception>().ToList();
            var root = errors.FirstOrDefault(e => e is not ChannelClosedException) ?? errors[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
        }
        sw.Stop();
        return new TwoPartyResult<TServer, TClient>(serverTask.Result, clientTask.Result,
            serverChannel.Meter, clientChannel.Meter, sw.Elapsed);
    }

    private static Task<T> Start<T>(IChannel channel, Func<IChannel, T> body) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                var result = body(channel);
                channel.Dispose();
                return result;
            }
            catch (Exception e)
            {
                channel.Fail($"{channel.Role.ToString().ToLowerInvariant()} failed: {e.Message}");
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
