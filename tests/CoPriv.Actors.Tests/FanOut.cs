using CoPriv.Inference.Sessions;


namespace CoPriv.Actors.Tests;

/// <summary>
/// A plan whose one step sends on many streams from thread-pool threads at once (each send outlasts the window, so
/// its thread blocks until credit returns) and then receives everything: it stalls if the actors granting credit
/// need a free pool thread.
/// </summary>
internal static class FanOut
{
    public static SessionPlan Plan(int streams, int bytes) => new([new LayerStep("fanout", context =>
    {
        var payload = new byte[bytes];
        var sends = Enumerable.Range(0, streams)
            .Select(i => Task.Run(() => context.Channel.Stream($"fan-{i}").Send(payload))).ToArray();
        var received = new byte[bytes];
        for (int i = 0; i < streams; i++) context.Channel.Stream($"fan-{i}").Receive(received);
        Task.WaitAll(sends);
    })]);
}
