using System.Net;
using System.Net.Sockets;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// A port another process holds is a user's mistake, not a crash: `copriv serve` (its Akka.Remote port or its data
/// plane's, the next one) and `copriv infer` (its own --listen) say which address they cannot listen on in one line
/// and exit with 2, as for other bad input, instead of an unhandled exception (exit 134 and a stack dump).
/// </summary>
public sealed class TakenPortTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Serve_OnATakenPort_SaysWhichAndExitsWithTwo()
    {
        using var taken = Listen(0);
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var server = CoprivProcess.Start("copriv serve",
            ["serve", "--model", "minionn", "--protocol", "copriv", "--width", "0.25", "--listen", $"127.0.0.1:{port}", "--state-dir", _state.Path, "--insecure"]);

        Assert.Equal(2, server.WaitForExit(Bound));
        Assert.Contains(server.StandardError, l => l == $"copriv: error: cannot listen on 127.0.0.1:{port} for Akka.Remote: Address already in use (choose another port with --listen)");
        // Found before Akka starts: no dump of Akka.Hosting's nested exceptions ahead of the line.
        Assert.Single(server.StandardError);
    }

    [Fact]
    public void Serve_WhoseDataPlanePortIsTaken_SaysWhichAndExitsWithTwo()
    {
        // A free port whose successor is taken: the data plane's default is the --listen port + 1.
        var (akka, taken) = FreePortBelowATakenOne();
        using (taken)
        {
            using var server = CoprivProcess.Start("copriv serve",
                ["serve", "--model", "minionn", "--protocol", "copriv", "--width", "0.25", "--listen", $"127.0.0.1:{akka}", "--state-dir", _state.Path, "--insecure"]);

            Assert.Equal(2, server.WaitForExit(Bound));
            Assert.Contains(server.StandardError, l => l.StartsWith($"copriv: error: cannot listen on 127.0.0.1:{akka + 1} for the data plane: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Infer_OnATakenPort_SaysWhichAndExitsWithTwo()
    {
        using var taken = Listen(0);
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var client = CoprivProcess.Start("copriv infer", ["infer", "--server", "127.0.0.1:1", "--listen", $"127.0.0.1:{port}", "--insecure"]);

        Assert.Equal(2, client.WaitForExit(Bound));
        Assert.Contains(client.StandardError, l => l.StartsWith($"copriv: error: cannot listen on 127.0.0.1:{port} for Akka.Remote: ", StringComparison.Ordinal));
        Assert.Single(client.StandardError);
    }

    private static Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen();
        return socket;
    }

    /// <summary>A port that is free now and a listening socket on the next one (tries a few OS-chosen ports).</summary>
    private static (int Free, Socket Taken) FreePortBelowATakenOne()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using var probe = Listen(0);
            int free = ((IPEndPoint)probe.LocalEndPoint!).Port;
            if (free >= IPEndPoint.MaxPort) continue;
            try
            {
                var taken = Listen(free + 1);
                return (free, taken);
            }
            catch (SocketException)
            {
                // The next port is someone else's already; try another.
            }
        }
        throw new InvalidOperationException("found no free port whose successor could be taken in 20 attempts");
    }
}
