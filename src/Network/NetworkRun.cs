using System.Diagnostics;
using CoPriv.Network.Emulation;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;

namespace CoPriv.Network;

/// <summary>
/// Runs the server and the client of a protocol in this process over a modelled link, simulated or emulated, each
/// party on its own thread (as <see cref="TwoPartyRunner"/> does: a party that throws fails the channel so the other
/// stops at once, and the root cause is rethrown). The protocol code is the same in both modes.
/// </summary>
public static class NetworkRun
{
    public static NetworkRunResult<TServer, TClient> Run<TServer, TClient>(NetworkMode mode, ILinkModel link,
        Func<IChannel, TServer> server, Func<IChannel, TClient> client) => mode switch
    {
        NetworkMode.Simulate => Simulate(link, server, client),
        NetworkMode.Emulate => Emulate(link, server, client),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown network mode"),
    };

    /// <summary>
    /// Runs in virtual time; <see cref="NetworkRunResult{TServer,TClient}.Latency"/> is the simulated end-to-end
    /// latency, including each party's compute from the start of its function to its end.
    /// </summary>
    public static NetworkRunResult<TServer, TClient> Simulate<TServer, TClient>(ILinkModel link,
        Func<IChannel, TServer> server, Func<IChannel, TClient> client, ComputeTimer timer = ComputeTimer.ThreadCpu)
    {
        var pair = SimulatedLink.CreatePair(link, timer);
        var run = TwoPartyRunner.Run<TServer, TClient>(pair.Server, pair.Client,
            channel => { using (pair.Server.Clock.BeginFlow()) return server(channel); },
            channel => { using (pair.Client.Clock.BeginFlow()) return client(channel); });
        return new NetworkRunResult<TServer, TClient>(run.Server, run.Client, run.ServerMeter, run.ClientMeter,
            NetworkMode.Simulate, pair.EndToEndLatency, run.Elapsed,
            pair.Server.Clock.Snapshot(), pair.Client.Clock.Snapshot());
    }

    /// <summary>
    /// Runs in real time with the link's delays applied; <see cref="NetworkRunResult{TServer,TClient}.Latency"/> is
    /// the real time from the earlier party's start to the later party's end.
    /// </summary>
    public static NetworkRunResult<TServer, TClient> Emulate<TServer, TClient>(ILinkModel link,
        Func<IChannel, TServer> server, Func<IChannel, TClient> client)
    {
        var pair = EmulatedLink.CreatePair(link);
        var span = new RunSpan();
        var run = TwoPartyRunner.Run<TServer, TClient>(pair.Server, pair.Client,
            channel => span.Time(() => server(channel)),
            channel => span.Time(() => client(channel)));
        return new NetworkRunResult<TServer, TClient>(run.Server, run.Client, run.ServerMeter, run.ClientMeter,
            NetworkMode.Emulate, span.Elapsed, run.Elapsed, null, null, pair.TotalLateness);
    }

    /// <summary>From the first party's start to the last party's end, in real time.</summary>
    private sealed class RunSpan
    {
        private long _first = long.MaxValue, _last = long.MinValue;

        public T Time<T>(Func<T> body)
        {
            long start = Stopwatch.GetTimestamp();
            lock (this) _first = Math.Min(_first, start);
            var result = body();
            long end = Stopwatch.GetTimestamp();
            lock (this) _last = Math.Max(_last, end);
            return result;
        }

        public TimeSpan Elapsed
        {
            get { lock (this) return Stopwatch.GetElapsedTime(_first, _last); }
        }
    }
}
