using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CoPriv.Network.Simulation;

/// <summary>
/// The calling thread's CPU time from the OS (clock_gettime with CLOCK_THREAD_CPUTIME_ID on Linux and macOS; about
/// half a microsecond per call, nanosecond resolution): the virtual clock's compute timer, and the one clock the
/// benchmark harnesses read a party's CPU time from, since unlike wall time it hardly moves when other processes
/// share the cores.
/// </summary>
public static partial class ThreadCpuTime
{
    private const int LinuxThreadCpuClock = 3;
    private const int MacThreadCpuClock = 16;

    private static readonly int ClockId =
        OperatingSystem.IsLinux() ? LinuxThreadCpuClock : OperatingSystem.IsMacOS() ? MacThreadCpuClock : -1;

    public static bool IsSupported { get; } = ClockId >= 0 && Probe();

    /// <summary>CPU seconds the calling thread has used so far.</summary>
    public static double Seconds()
    {
        Timespec ts;
        if (clock_gettime(ClockId, out ts) != 0)
            throw new InvalidOperationException($"clock_gettime(thread CPU clock) failed with errno {Marshal.GetLastPInvokeError()}");
        return ts.Seconds + ts.Nanoseconds * 1e-9;
    }

    /// <summary>Real seconds since an arbitrary origin (the <see cref="ComputeTimer.Wall"/> timer).</summary>
    public static double WallSeconds() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    private static bool Probe()
    {
        try { return clock_gettime(ClockId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec ts);
}
