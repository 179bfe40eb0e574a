using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Two Linux network namespaces, a server's and a client's, joined by a veth pair with the addresses 10.231.77.1 and
/// 10.231.77.2 (a private /30 of these tests' own) and each end shaped by a token-bucket filter: two hosts on one
/// machine. Creating them needs root and iproute2; disposing deletes them (and with them the veth pair).
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    public const string ServerAddress = "10.231.77.1";
    public const string ClientAddress = "10.231.77.2";
    private const int CloneNewNet = 0x40000000;

    private readonly List<string> _created = [];

    /// <summary>Creates the pair with both ends of the link limited to <paramref name="rate"/> (tc syntax, e.g. 100mbit).</summary>
    public NetworkNamespaces(string rate)
    {
        string suffix = Convert.ToHexStringLower(BitConverter.GetBytes(Environment.ProcessId))[..6];
        Server = $"copriv-srv-{suffix}";
        Client = $"copriv-cli-{suffix}";
        try
        {
            foreach (var ns in new[] { Server, Client })
            {
                Ip("netns", "add", ns);
                _created.Add(ns);
                Ip("-n", ns, "link", "set", "lo", "up");
            }
            string serverEnd = $"cpv{suffix}s", clientEnd = $"cpv{suffix}c";
            Ip("link", "add", serverEnd, "netns", Server, "type", "veth", "peer", "name", clientEnd, "netns", Client);
            foreach (var (ns, device, address) in new[] { (Server, serverEnd, ServerAddress), (Client, clientEnd, ClientAddress) })
            {
                Ip("-n", ns, "addr", "add", $"{address}/30", "dev", device);
                Ip("-n", ns, "link", "set", device, "up");
                // A queue of a few milliseconds at the rate: the link's bandwidth without adding seconds of bufferbloat
                // to every round trip (the simulator's model is bandwidth plus a fixed RTT).
                Run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", rate, "burst", "64kb", "latency", "5ms");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Server { get; }
    public string Client { get; }

    /// <summary>
    /// Whether this machine lets a test create namespaces (root, iproute2), tried with a throwaway namespace; null if
    /// it does, else why not.
    /// </summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root") return $"creating network namespaces needs root (running as {Environment.UserName})";
        string probe = $"copriv-probe-{Environment.ProcessId}";
        try
        {
            Ip("netns", "add", probe);
            Ip("netns", "del", probe);
            Run("tc", "-V");
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot create network namespaces here: {e.Message}";
        }
    }

    /// <summary>
    /// The round-trip time from the client's namespace to the server's: the median of 20 one-byte TCP ping-pongs
    /// (no ping binary needed: the two sockets are created on threads that entered the namespaces).
    /// </summary>
    public TimeSpan MeasureRoundTrip()
    {
        using var listener = InNamespace(Server, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(ServerAddress), 0));
            socket.Listen(1);
            return socket;
        });
        using var client = InNamespace(Client, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
        client.Connect((IPEndPoint)listener.LocalEndPoint!);
        using var echo = listener.Accept();
        echo.NoDelay = true;
        var buffer = new byte[1];
        var samples = new List<TimeSpan>();
        for (int i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            client.Send(buffer);
            echo.Receive(buffer);
            echo.Send(buffer);
            client.Receive(buffer);
            samples.Add(clock.Elapsed);
        }
        return samples.Order().ElementAt(samples.Count / 2);
    }

    public void Dispose()
    {
        foreach (var ns in _created)
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Deleted already; the veth pair went with it.
            }
        }
        _created.Clear();
    }

    private static T InNamespace<T>(string ns, Func<T> create)
    {
        T? created = default;
        Exception? error = null;
        // A fresh thread that enters the namespace and ends: the network namespace is per thread, and a socket keeps
        // the namespace it was created in.
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{ns}");
                if (SetNamespace(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns into {ns} failed: errno {Marshal.GetLastPInvokeError()}");
                created = create();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? created! : throw new InvalidOperationException($"creating a socket in {ns} failed", error);
    }

    private static void Ip(params string[] arguments) => Run("ip", arguments);

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000)) process.Kill();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Trim()}"));
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int nstype);
}
