using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// How a party runs its two OT directions: sequential mode keeps both on the caller's thread, the server's batch
/// first; concurrent mode runs the client's batch on another thread, and a failure in either direction fails the
/// channel (so the other cannot wait forever) and reaches the caller as itself.
/// </summary>
public sealed class OtDirectionsTests : IDisposable
{
    private readonly SessionPair _session = SessionPair.Create(seed: 61);

    public void Dispose() => _session.Dispose();

    [Fact]
    public void The_mode_can_be_switched_on_and_off_again()
    {
        var ctx = _session.Server;
        Assert.False(OtDirections.RunsConcurrently(ctx));
        OtDirections.RunConcurrently(ctx, true);
        Assert.True(OtDirections.RunsConcurrently(ctx));
        Assert.False(OtDirections.RunsConcurrently(_session.Client));
        OtDirections.RunConcurrently(ctx, false);
        Assert.False(OtDirections.RunsConcurrently(ctx));
        Assert.Throws<ArgumentNullException>(() => OtDirections.RunConcurrently(null!, true));
    }

    [Fact]
    public void Sequential_mode_runs_the_server_batch_then_the_client_batch_on_the_callers_thread()
    {
        var order = new List<(string Direction, int Thread)>();
        OtDirections.Run(_session.Server,
            () => order.Add(("server sends", Environment.CurrentManagedThreadId)),
            () => order.Add(("client sends", Environment.CurrentManagedThreadId)));
        int caller = Environment.CurrentManagedThreadId;
        Assert.Equal([("server sends", caller), ("client sends", caller)], order);
    }

    [Fact]
    public void Concurrent_mode_runs_the_client_batch_on_another_thread_while_the_server_batch_runs()
    {
        OtDirections.RunConcurrently(_session.Server, true);
        using var bothRunning = new Barrier(2);
        int serverThread = 0, clientThread = 0;
        // Each direction waits for the other: this returns only if they run at the same time.
        OtDirections.Run(_session.Server,
            () => { serverThread = Environment.CurrentManagedThreadId; Assert.True(bothRunning.SignalAndWait(TimeSpan.FromSeconds(30))); },
            () => { clientThread = Environment.CurrentManagedThreadId; Assert.True(bothRunning.SignalAndWait(TimeSpan.FromSeconds(30))); });
        Assert.Equal(Environment.CurrentManagedThreadId, serverThread);
        Assert.NotEqual(serverThread, clientThread);
    }

    [Theory]
    [InlineData("server sends")]
    [InlineData("client sends")]
    public void A_failing_direction_fails_the_channel_and_reaches_the_caller_as_itself(string failing)
    {
        OtDirections.RunConcurrently(_session.Server, true);
        var error = Assert.Throws<InvalidOperationException>(() => OtDirections.Run(_session.Server,
            () => { if (failing == "server sends") throw new InvalidOperationException("the server's batch broke"); },
            () => { if (failing == "client sends") throw new InvalidOperationException("the client's batch broke"); }));
        Assert.Equal(failing == "server sends" ? "the server's batch broke" : "the client's batch broke", error.Message);
        // The channel is failed with the party and the reason, so a peer waiting on it ends at once.
        var closed = Assert.ThrowsAny<ProtocolException>(() => _session.Server.Channel.Stream("after").Send([1]));
        Assert.Contains("server failed: the", closed.Message);
    }
}
