using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// <c>/user/inspector</c>: the TCP command host that pbm talks to (<see cref="InspectorWire"/>, one command per
/// connection). It owns a listener whose accept loop runs as a task, never on the mailbox thread; each connection's
/// command runs on that connection's task through <see cref="InspectorCommands"/>, which asks the live system by
/// message, and streams its frames until the command ends, the client hangs up, or the inspector stops. On a node
/// with Akka.Remote it keeps an <see cref="AssociationTracker"/> child from its start. Answers about the live system
/// only; it holds no protocol data.
/// </summary>
public sealed class InspectorActor : ReceiveActor
{
    /// <summary>The conventional name under /user.</summary>
    public const string Name = "inspector";

    /// <summary>How long a client may take to send its request, and a frame may take to be written.</summary>
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long a stopping inspector lets its open commands finish (a watch drawing a session's outcome). Only a node
    /// with a command still open waits; 3 s was too short on a loaded machine (two busy loops and a test suite on 2
    /// cores), where a watch lost its last screen. As long as a frame may take (<see cref="IoTimeout"/>).
    /// </summary>
    private static readonly TimeSpan DrainTimeout = IoTimeout;
    private readonly TcpListener _listener;
    private readonly InspectorCommands _commands;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _serving = new();

    /// <summary>Serves an already started listener (see <see cref="InspectorHost.Start"/>), stopping it when the actor stops.</summary>
    public InspectorActor(TcpListener listener, InspectorOptions options)
    {
        _listener = listener;
        _commands = new InspectorCommands(Context.System, options);
    }

    protected override void PreStart()
    {
        if (((ExtendedActorSystem)Context.System).Provider is Akka.Remote.RemoteActorRefProvider)
            Context.ActorOf(AssociationTracker.Props(), AssociationTracker.Name);
        var listener = _listener;
        var commands = _commands;
        var stopping = _stopping.Token;
        var serving = _serving;
        Task.Run(() => AcceptLoop(listener, commands, serving, stopping), CancellationToken.None);
    }

    /// <summary>
    /// Stops accepting and cancels the open commands, then waits (at most <see cref="DrainTimeout"/>) until they have
    /// written their last frames: a process that ends with its session (simulate, run, infer) would otherwise cut a
    /// watch before it draws the outcome.
    /// </summary>
    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener.Stop();
        try
        {
            Task.WaitAll(_serving.Values.ToArray(), DrainTimeout);
        }
        catch (AggregateException)
        {
            // Serve handles its own failures; one that escaped has ended all the same.
        }
    }

    private static async Task AcceptLoop(TcpListener listener, InspectorCommands commands,
        ConcurrentDictionary<long, Task> serving, CancellationToken stopping)
    {
        long next = 0;
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
            long id = next++;
            var task = Serve(client, commands, stopping);
            serving[id] = task;
            _ = task.ContinueWith(_ => serving.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private static async Task Serve(TcpClient client, InspectorCommands commands, CancellationToken stopping)
    {
        // The command ends when the host stops or the client hangs up; its frames are written until the client is
        // gone, so a command may still draw its last screen while the host stops (a simulation ending).
        using (client)
        using (var clientGone = new CancellationTokenSource())
        using (var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping, clientGone.Token))
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequest(stream, connection.Token).ConfigureAwait(false);
                if (request is null) return;
                // The client sends nothing after its request: a read that returns is its hang-up (Ctrl-C, dropped link).
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await stream.ReadAsync(new byte[1], clientGone.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
                    {
                    }
                    await clientGone.CancelAsync().ConfigureAwait(false);
                }, CancellationToken.None);
                var writing = new SemaphoreSlim(1, 1);
                async Task Send(InspectorFrameKind kind, string text)
                {
                    await writing.WaitAsync(clientGone.Token).ConfigureAwait(false);
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(clientGone.Token);
                        timeout.CancelAfter(IoTimeout);
                        await InspectorWire.WriteFrameAsync(stream, kind, text, timeout.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        writing.Release();
                    }
                }
                var end = await commands.ExecuteAsync(request, Send, connection.Token).ConfigureAwait(false);
                using var last = new CancellationTokenSource(IoTimeout);
                await InspectorWire.WriteFrameAsync(stream, InspectorFrameKind.End, InspectorWire.EncodeEnd(end), last.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException
                                           or FormatException or System.Text.Json.JsonException)
            {
                // The client went away or spoke garbage; nothing to answer.
            }
            finally
            {
                await clientGone.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The magic and the request frame, within <see cref="IoTimeout"/>; null (after telling the client) for another protocol.</summary>
    private static async Task<InspectorRequest?> ReadRequest(NetworkStream stream, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(IoTimeout);
        var magic = new byte[InspectorWire.Magic.Length];
        int read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false);
        if (read < magic.Length || !magic.AsSpan().SequenceEqual(InspectorWire.Magic))
        {
            await stream.WriteAsync(InspectorWire.VersionMismatchReply, timeout.Token).ConfigureAwait(false);
            return null;
        }
        var frame = await InspectorWire.ReadFrameAsync(stream, InspectorWire.MaxRequestBytes, timeout.Token).ConfigureAwait(false);
        if (frame is not { Kind: InspectorFrameKind.Request }) throw new FormatException("expected a request frame");
        return InspectorWire.DecodeRequest(frame.Text);
    }
}
