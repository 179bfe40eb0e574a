using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests;

/// <summary>
/// Plain traffic patterns over <see cref="IMessageStream"/>s that stand in for protocols: ping-pong rounds, bulk
/// transfers and scripted sequential exchanges. Every message carries a checkable pattern.
/// </summary>
internal static class Synthetic
{
    /// <summary>The server opens each round; the client answers with the same bytes.</summary>
    public static void PingPong(IMessageStream stream, PartyRole role, int rounds, int bytes)
    {
        var sent = new byte[bytes];
        var received = new byte[bytes];
        for (int r = 0; r < rounds; r++)
        {
            if (role == PartyRole.Server)
            {
                Fill(sent, r);
                stream.Send(sent);
                stream.Receive(received);
                Check(received, r, stream.Name);
            }
            else
            {
                stream.Receive(received);
                Check(received, r, stream.Name);
                stream.Send(received);
            }
        }
    }

    /// <summary>
    /// The sender sends <paramref name="totalBytes"/> in messages of at most <paramref name="messageBytes"/>; the
    /// receiver acknowledges with one byte. With <paramref name="verify"/> off the bytes are neither patterned nor
    /// checked, so that the transfer costs (almost) no compute.
    /// </summary>
    public static void Bulk(IMessageStream stream, bool sender, long totalBytes, int messageBytes, bool verify = true)
    {
        var buffer = new byte[messageBytes];
        var ack = new byte[1];
        int index = 0;
        for (long done = 0; done < totalBytes; done += messageBytes, index++)
        {
            var message = buffer.AsSpan(0, (int)Math.Min(messageBytes, totalBytes - done));
            if (sender)
            {
                if (verify) Fill(message, index);
                stream.Send(message);
            }
            else
            {
                stream.Receive(message);
                if (verify) Check(message, index, stream.Name);
            }
        }
        if (sender) stream.Receive(ack); else stream.Send(ack);
    }

    /// <summary>
    /// A strictly sequential exchange: flights alternate direction (the server sends the first) and each flight's
    /// messages are all received before the reply flight starts.
    /// </summary>
    public static void Exchange(IMessageStream stream, PartyRole role, IReadOnlyList<int[]> flights)
    {
        for (int f = 0; f < flights.Count; f++)
        {
            bool mine = (f % 2 == 0) == (role == PartyRole.Server);
            for (int m = 0; m < flights[f].Length; m++)
            {
                var message = new byte[flights[f][m]];
                if (mine)
                {
                    Fill(message, f * 31 + m);
                    stream.Send(message);
                }
                else
                {
                    stream.Receive(message);
                    Check(message, f * 31 + m, stream.Name);
                }
            }
        }
    }

    /// <summary>Random flights of 1–3 messages of up to <paramref name="maxBytes"/> each.</summary>
    public static List<int[]> RandomFlights(Random random, int flights, int maxBytes) =>
        Enumerable.Range(0, flights)
            .Select(_ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(0, maxBytes + 1)).ToArray())
            .ToList();

    public static void Fill(Span<byte> message, int seed)
    {
        for (int i = 0; i < message.Length; i++) message[i] = (byte)(i * 7 + seed * 13 + 1);
    }

    public static void Check(ReadOnlySpan<byte> message, int seed, string stream)
    {
        for (int i = 0; i < message.Length; i++)
            if (message[i] != (byte)(i * 7 + seed * 13 + 1))
                throw new InvalidOperationException($"stream '{stream}': byte {i} of message {seed} is corrupt");
    }

    /// <summary>
    /// Runs the branches at once, each on its own thread, and waits for all: how a party drives several streams
    /// concurrently. Dedicated threads, because branches block on the channel and would starve the thread pool.
    /// </summary>
    public static void Concurrently(params Action[] branches) =>
        Task.WaitAll(branches
            .Select(b => Task.Factory.StartNew(b, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray());

    /// <summary>Burns CPU on the calling thread until its CPU clock has advanced by at least <paramref name="cpu"/>.</summary>
    public static void Compute(TimeSpan cpu)
    {
        double end = ThreadCpuTime.Seconds() + cpu.TotalSeconds;
        ulong x = 1;
        while (ThreadCpuTime.Seconds() < end)
            for (int i = 0; i < 1000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        GC.KeepAlive(x);
    }
}
