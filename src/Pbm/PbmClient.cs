using System.Net.Sockets;
using CoPriv.Actors.Inspection;

namespace CoPriv.Pbm;

/// <summary>The host could not be reached, or the connection broke before the command ended.</summary>
public sealed class InspectorUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs one command on an inspector host (<see cref="InspectorWire"/>, protocol 2): connects, sends the request,
/// hands every output or redraw frame to the caller as it arrives, and returns the end frame. Every wait is bounded:
/// the connection and each frame by <paramref name="idleTimeout"/> (a streaming host sends heartbeats while quiet).
/// Cancelling <paramref name="cancellation"/> (Ctrl-C) hangs up, which ends the command at the host.
/// </summary>
public static class PbmClient
{
    public static async Task<InspectorEnd> RunAsync(string host, int port, InspectorRequest request, Action<InspectorFrame> onFrame,
        TimeSpan idleTimeout, CancellationToken cancellation = default)
    {
        using var client = new TcpClient();
        string where = $"{host}:{port}";
        bool connected = false;
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                connecting.CancelAfter(idleTimeout);
                await client.ConnectAsync(host, port, connecting.Token).ConfigureAwait(false);
            }
            connected = true;
            var stream = client.GetStream();
            await stream.WriteAsync(InspectorWire.EncodeRequest(request), cancellation).ConfigureAwait(false);
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                idle.CancelAfter(idleTimeout);
                var frame = await InspectorWire.ReadFrameAsync(stream, InspectorWire.MaxFrameBytes, idle.Token).ConfigureAwait(false)
                    ?? throw new InspectorUnreachableException($"lost the connection to {where}: it closed before the command ended");
                switch (frame.Kind)
                {
                    case InspectorFrameKind.End:
                        return InspectorWire.DecodeEnd(frame.Text);
                    case InspectorFrameKind.Output or InspectorFrameKind.Redraw:
                        onFrame(frame);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new InspectorEnd(InspectorStatus.Ok, "");
        }
        catch (OperationCanceledException e)
        {
            throw new InspectorUnreachableException(connected
                ? $"lost the connection to {where}: nothing heard for {idleTimeout.TotalSeconds:0.#} s"
                : $"cannot reach an inspector at {where} within {idleTimeout.TotalSeconds:0.#} s", e);
        }
        catch (SocketException e)
        {
            throw new InspectorUnreachableException(connected ? $"lost the connection to {where}: {e.Message}" : $"cannot reach an inspector at {where}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            throw new InspectorUnreachableException($"lost the connection to {where}: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new InspectorUnreachableException($"{where} is not a CoPriv inspector of protocol {InspectorWire.Version}: {e.Message}", e);
        }
    }
}
