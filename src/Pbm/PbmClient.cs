using System.Net.Sockets;
using System.Text;
using CoPriv.Actors.Inspection;

namespace CoPriv.Pbm;

/// <summary>The host could not be reached, or broke off before answering.</summary>
public sealed class InspectorUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Sends one command line to an inspector host and returns its reply (see <see cref="InspectorWire"/>).</summary>
public static class PbmClient
{
    public static async Task<InspectorReply> SendAsync(string host, int port, string commandLine, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(InspectorWire.EncodeRequest(commandLine), deadline.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var wire = await reader.ReadToEndAsync(deadline.Token).ConfigureAwait(false);
            if (wire.Length == 0) throw new InspectorUnreachableException($"{host}:{port} closed the connection without answering");
            return InspectorWire.DecodeReply(wire);
        }
        catch (OperationCanceledException e)
        {
            throw new InspectorUnreachableException($"no answer from {host}:{port} within {timeout.TotalSeconds:0.#} s", e);
        }
        catch (SocketException e)
        {
            throw new InspectorUnreachableException($"cannot reach an inspector at {host}:{port}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new InspectorUnreachableException($"the connection to {host}:{port} broke: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new InspectorUnreachableException($"{host}:{port} is not a CoPriv inspector: {e.Message}", e);
        }
    }
}
