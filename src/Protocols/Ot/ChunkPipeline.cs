using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Ot;

/// <summary>One chunk of a batched OT call, as the receiver runs it: it sends a request, later takes the reply.</summary>
internal interface IReceiverChunkJob
{
    /// <summary>Prepares chunk [start, start + count) in state slot 0 or 1 and returns the request to send.</summary>
    ReadOnlySpan<byte> Request(int start, int count, int slot);

    /// <summary>Length of the sender's reply to that chunk (0: no reply).</summary>
    int ReplyBytes(int start, int count);

    void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply);
}

/// <summary>One chunk of a batched OT call, as the sender runs it: it takes the request and answers it.</summary>
internal interface ISenderChunkJob
{
    int RequestBytes(int start, int count);
    int ReplyBytes(int start, int count);
    void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply);
}

/// <summary>
/// Runs a batched OT call in chunks so that memory stays bounded and both parties work at once: the receiver keeps
/// up to <see cref="Depth"/> requests outstanding, so it sends the request of chunk c + Depth before it waits for the
/// reply to chunk c. Message pattern per call with k chunks and D = Depth: receiver Q0 … Q(D−1), A0, QD, A1, …,
/// A(k−1); the sender takes Q_c and answers A_c in turn (no answers for random OTs). The depth is what hides the
/// link's latency: D requests (≈ D × 256 KiB) in flight cover the bandwidth–delay product of a 400 Mbit/s, 40 ms
/// link, so a long call pays about one round trip instead of one per chunk. Every transport acknowledges a chunk
/// when it takes it off the wire, not when the protocol reads it, so the unread replies cannot stall the sender.
/// </summary>
internal static class ChunkPipeline
{
    /// <summary>Requests the receiver keeps outstanding (and state slots it needs: slot = chunk index mod depth).</summary>
    public const int Depth = 8;

    public static void RunReceiver<TJob>(IMessageStream stream, int n, int chunkOts, ref TJob job, ref byte[] replyBuffer)
        where TJob : IReceiverChunkJob, allows ref struct
    {
        int chunks = n == 0 ? 0 : (n + chunkOts - 1) / chunkOts;
        int finished = 0;
        for (int c = 0; c < chunks; c++)
        {
            int start = c * chunkOts;
            var request = job.Request(start, Math.Min(chunkOts, n - start), c % Depth);
            if (request.Length > 0) stream.Send(request);
            if (c - finished + 1 == Depth) Finish(stream, n, chunkOts, finished++, ref job, ref replyBuffer);
        }
        while (finished < chunks) Finish(stream, n, chunkOts, finished++, ref job, ref replyBuffer);
    }

    public static void RunSender<TJob>(IMessageStream stream, int n, int chunkOts, ref TJob job,
        ref byte[] requestBuffer, ref byte[] replyBuffer)
        where TJob : ISenderChunkJob, allows ref struct
    {
        for (int start = 0; start < n; start += chunkOts)
        {
            int count = Math.Min(chunkOts, n - start);
            var request = Scratch.Ensure(ref requestBuffer, job.RequestBytes(start, count));
            if (request.Length > 0) stream.Receive(request);
            var reply = Scratch.Ensure(ref replyBuffer, job.ReplyBytes(start, count));
            job.Respond(start, count, request, reply);
            if (reply.Length > 0) stream.Send(reply);
        }
    }

    private static void Finish<TJob>(IMessageStream stream, int n, int chunkOts, int chunk, ref TJob job, ref byte[] replyBuffer)
        where TJob : IReceiverChunkJob, allows ref struct
    {
        int start = chunk * chunkOts, count = Math.Min(chunkOts, n - start);
        var reply = Scratch.Ensure(ref replyBuffer, job.ReplyBytes(start, count));
        if (reply.Length > 0) stream.Receive(reply);
        job.Finish(start, count, chunk % Depth, reply);
    }
}
