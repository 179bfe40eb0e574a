using System.Security.Cryptography;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Actors.Tests;

/// <summary>
/// Small real two-party plans for the runtime's tests: the parties exchange seeded random vectors over the channel,
/// each computes the element-wise sum, and the client proves to the server that both sums agree. Results are the
/// sums, so a test can compare them with the sum of the two inputs computed here in the clear.
/// </summary>
internal static class SumPlans
{
    public const string Length = "length", ServerSeed = "server-seed";

    public static ulong[] Input(ulong seed, int length)
    {
        var values = new ulong[length];
        AesPrg.FromTestSeed(seed, 0).Fill(values.AsSpan());
        return values;
    }

    public static ulong[] ExpectedSum(ulong serverSeed, ulong clientSeed, int length)
    {
        var a = Input(serverSeed, length);
        var b = Input(clientSeed, length);
        for (int i = 0; i < length; i++) a[i] += b[i];
        return a;
    }

    public static Dictionary<string, string> Parameters(int length, ulong serverSeed) =>
        new() { [Length] = length.ToString(), [ServerSeed] = serverSeed.ToString() };

    /// <summary>The server's planner: its input comes from the seed the client names (a test stand-in for the model).</summary>
    public static SessionPlanner Planner(Func<SessionRequest, IEnumerable<ILayerStep>>? extraSteps = null) => request =>
    {
        var length = int.Parse(request.Parameters[Length]);
        var input = Input(ulong.Parse(request.Parameters[ServerSeed]), length);
        return Plan(input, extraSteps?.Invoke(request) ?? []);
    };

    /// <summary>One party's plan: exchange, crossed, check, then any extra steps.</summary>
    public static SessionPlan Plan(ulong[] input, IEnumerable<ILayerStep> extraSteps, TrafficMeter? meter = null)
    {
        var state = new PartyState(input);
        return new SessionPlan(
            [new LayerStep("exchange", state.Exchange), new LayerStep("crossed", state.Crossed), new LayerStep("check", state.Check), .. extraSteps],
            () => state.Sum, meter);
    }

    public static SessionPlan ClientPlan(ulong clientSeed, int length, params ILayerStep[] extraSteps) =>
        Plan(Input(clientSeed, length), extraSteps);

    private sealed class PartyState(ulong[] input)
    {
        public ulong[] Sum { get; } = new ulong[input.Length];

        /// <summary>Both parties send their whole input before receiving (needs a channel that buffers).</summary>
        public void Exchange(LayerStepContext context)
        {
            var data = context.Channel.Stream("data");
            data.SendUInt64s(input);
            var theirs = new ulong[input.Length];
            data.ReceiveUInt64s(theirs);
            for (int i = 0; i < input.Length; i++) Sum[i] = input[i] + theirs[i];
            context.ReportProgress(1);
        }

        /// <summary>Two streams at once from two threads: each party sends on one while receiving on the other.</summary>
        public void Crossed(LayerStepContext context)
        {
            var (outgoing, incoming) = context.Role == PartyRole.Server ? ("to-client", "to-server") : ("to-server", "to-client");
            var send = Task.Run(() => context.Channel.Stream(outgoing).SendUInt64s(Sum));
            var echo = new ulong[Sum.Length];
            context.Channel.Stream(incoming).ReceiveUInt64s(echo);
            send.GetAwaiter().GetResult();
            if (!echo.AsSpan().SequenceEqual(Sum))
                throw new ProtocolException("the parties' sums differ after the crossed exchange");
        }

        /// <summary>The client sends the hash of its sum; the server compares and confirms with one byte.</summary>
        public void Check(LayerStepContext context)
        {
            var stream = context.Channel.Stream("check");
            var digest = SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Sum.AsSpan()));
            var verdict = new byte[1];
            if (context.Role == PartyRole.Client)
            {
                stream.Send(digest);
                stream.Receive(verdict);
                if (verdict[0] != 1) throw new ProtocolException("the server found the sums different");
            }
            else
            {
                var theirs = new byte[digest.Length];
                stream.Receive(theirs);
                verdict[0] = theirs.AsSpan().SequenceEqual(digest) ? (byte)1 : (byte)0;
                stream.Send(verdict);
                if (verdict[0] != 1) throw new ProtocolException("the client's sum differs from the server's");
            }
        }
    }
}
