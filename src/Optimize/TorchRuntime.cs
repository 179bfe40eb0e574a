using System.Runtime.InteropServices;
using TorchSharp;

namespace CoPriv.Optimize;

/// <summary>
/// The process-wide libtorch settings every training entry point applies first: the number of intra-op threads
/// (2 by default, the size of the machines this project runs on), the seed of libtorch's global generator (a run with
/// the same seed is the same run), and, before libtorch is loaded, OpenMP's passive waiting.
/// </summary>
/// <remarks>
/// libtorch's OpenMP threads spin between parallel regions by default. On a 2-core machine shared with other work
/// (builds, other test hosts) the spinning thread takes the core the working one needs: a quarter-width MobileNetV2
/// training step took 4–5 s with 2 spinning threads at load ~13, 0.6–0.7 s with OMP_WAIT_POLICY=PASSIVE. libgomp reads
/// the variable once, when libtorch loads it, and .NET does not pass its own environment changes to native code, so
/// it is set with the C library's setenv (unless the user set it).
/// </remarks>
public static partial class TorchRuntime
{
    public const int DefaultThreads = 2;

    private static readonly Lock Gate = new();
    private static bool _environmentSet;

    /// <summary>Sets OpenMP's wait policy if libtorch is not loaded yet; every type of this room that touches libtorch calls it first.</summary>
    public static void EnsureNativeEnvironment()
    {
        lock (Gate)
        {
            if (_environmentSet) return;
            _environmentSet = true;
            if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
                _ = SetEnvironment("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
        }
    }

    /// <summary>Sets libtorch's thread count and seeds its global generator.</summary>
    public static void Prepare(int threads, ulong seed)
    {
        if (threads <= 0) throw new ArgumentException($"libtorch needs at least one thread, got {threads}", nameof(threads));
        EnsureNativeEnvironment();
        lock (Gate)
        {
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
            torch.manual_seed(unchecked((long)seed));
            if (!_nnpackDisabled) _nnpackDisabled = DisableNnpack();
        }
    }

    private static bool _nnpackDisabled;

    /// <summary>
    /// Turns NNPACK off (PyTorch's torch.backends.nnpack.set_flags(False), which TorchSharp does not expose). On a CPU
    /// NNPACK does not support (this machine's), every convolution call tries to initialise it and logs a warning —
    /// hundreds per epoch, burying the progress — before falling back to the kernels it then uses anyway; with NNPACK
    /// off, libtorch goes to them directly. When the symbols are not there (another libtorch build) nothing changes.
    /// </summary>
    private static bool DisableNnpack()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), enabled: false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The warnings stay; the results do not depend on it.
        }
        return true;
    }

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
