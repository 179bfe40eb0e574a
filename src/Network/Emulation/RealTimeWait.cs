using System.Diagnostics;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Emulation;

/// <summary>
/// Blocks until a Stopwatch timestamp with sub-millisecond accuracy: the OS sleeps only in whole milliseconds and
/// may oversleep by about one, so it sleeps until about a millisecond before the deadline and spins for the rest.
/// Spinning rather than yielding keeps the processor: on a busy machine a yield can hand it away for a whole time
/// slice and make the message late.
/// </summary>
internal static class RealTimeWait
{
    private static readonly double TicksPerMillisecond = Stopwatch.Frequency / 1000.0;

    public static void Until(long timestamp, Func<bool> abandoned, string streamName)
    {
        while (true)
        {
            long left = timestamp - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            if (abandoned())
                throw new ChannelClosedException($"stream '{streamName}': this party's channel was closed while a message was in flight");
            double leftMs = left / TicksPerMillisecond;
            if (leftMs >= 2) Thread.Sleep((int)leftMs - 1);
            else Thread.SpinWait(64);
        }
    }
}
