using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// <c>/user/inspector</c>: the TCP command host that pbm talks to (default port 9110). It owns a listener whose
/// accept loop runs as a task (never on the mailbox thread); each connection sends one command line, which the actor
/// runs through <see cref="InspectorCommands"/> with the result piped back, and gets one reply. Answers about the
/// live system only; it holds no protocol data.
/// </summary>
public sealed class InspectorActor : ReceiveActor
{
    /// <summary>The conventional name under /user.</summary>
    public const string Name = "inspector";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly InspectorCommands _commands;

    public InspectorActor(TcpListener listener)
    {
        _listener = listener;
        _commands = new InspectorCommands(Context.System);
        Receive<RunInspectorCommand>(m => _commands.ExecuteAsync(m.CommandLine).PipeTo(Sender));
    }

    /// <summary>Binds the listener first, so that a taken port is an error at start-up, not a dead actor.</summary>
    public static TcpListener Listen(string hostname, int port)
    {
        var address = IPAddress.TryParse(hostname, out var ip) ? ip : Dns.GetHostAddresses(hostname).First();
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"the inspector cannot listen on {hostname}:{port}: {e.Message}", e);
        }
        return listener;
    }

    /// <summary>Props of the host serving an already started listener (see <see cref="Listen"/>); it stops the listener when it stops.</summary>
    public static Props Props(TcpListener listener) => Akka.Actor.Props.Create(() => new InspectorActor(listener));

    protected override void PreStart()
    {
        var self = Self;
        var listener = _listener;
        var stopping = _stopping.Token;
        Task.Run(() => AcceptLoop(listener, self, stopping), CancellationToken.None);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener.Stop();
        _stopping.Dispose();
    }

    private static async Task AcceptLoop(TcpListener listener, IActorRef self, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Serve(client, self, stopping);
        }
    }

    private static async Task Serve(TcpClient client, IActorRef self, CancellationToken stopping)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                var stream = client.GetStream();
                var line = await ReadLine(stream, timeout.Token).ConfigureAwait(false);
                InspectorReply reply;
                if (line is null)
                    reply = InspectorReply.Error($"a command is one line of at most {InspectorWire.MaxRequestBytes} bytes");
                else
                {
                    try
                    {
                        reply = await self.Ask<InspectorReply>(new RunInspectorCommand(line), RequestTimeout).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        reply = InspectorReply.Error($"the inspector did not answer: {e.Message}");
                    }
                }
                await stream.WriteAsync(InspectorWire.EncodeReply(reply), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away or was too slow; nothing to answer.
            }
        }
    }

    /// <summary>Reads up to the first '\n'; null when the line is too long or the stream ends first.</summary>
    private static async Task<string?> ReadLine(NetworkStream stream, CancellationToken cancel)
    {
        var buffer = new byte[InspectorWire.MaxRequestBytes];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(filled), cancel).ConfigureAwait(false);
            if (n == 0) return null;
            int newline = Array.IndexOf(buffer, (byte)'\n', filled, n);
            filled += n;
            if (newline >= 0) return Encoding.UTF8.GetString(buffer, 0, newline).TrimEnd('\r');
        }
        return null;
    }
}

/// <summary>Command to the inspector: run one command line and answer with an <see cref="InspectorReply"/>.</summary>
public sealed record RunInspectorCommand(string CommandLine) : ICoPrivMessage;
