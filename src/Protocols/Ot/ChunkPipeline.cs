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
/// Runs a batched OT call in chunks so that memory stays bounded and both parties work at once: the receiver sends
/// the request of chunk c + 1 before it waits for the reply to chunk c. Message pattern per call with k chunks:
/// receiver Q0, Q1, A0, Q2, A1, …, A(k−1); sender takes Q_c and answers A_c in turn (no answers for random OTs).
/// </summary>
internal static class ChunkPipeline
{
    public static void RunReceiver<TJob>(IMessageStream stream, int n, int chunkOts, ref TJob job, ref byte[] replyBuffer)
        where TJob : IReceiverChunkJob, allows ref struct
    {
        int pendingStart = -1, pendingCount = 0, slot = 0;
        for (int start = 0; start < n; start += chunkOts)
        {
            int count = Math.Min(chunkOts, n - start);
            stream.Send(job.Request(start, count, slot));
            if (pendingStart >= 0) Finish(stream, pendingStart, pendingCount, slot ^ 1, ref job, ref replyBuffer);
            pendingStart = start;
            pendingCount = count;
            slot ^= 1;
        }
        if (pendingStart >= 0) Finish(stream, pendingStart, pendingCount, slot ^ 1, ref job, ref replyBuffer);
    }

    public static void RunSender<TJob>(IMessageStream stream, int n, int chunkOts, ref TJob job,
        ref byte[] requestBuffer, ref byte[] replyBuffer)
        where TJob : ISenderChunkJob, allows ref struct
    {
        for (int start = 0; start < n; start += chunkOts)
        {
            int count = Math.Min(chunkOts, n - start);
            var request = Scratch.Ensure(ref requestBuffer, job.RequestBytes(start, count));
            stream.Receive(request);
            var reply = Scratch.Ensure(ref replyBuffer, job.ReplyBytes(start, count));
            job.Respond(start, count, request, reply);
            if (reply.Length > 0) stream.Send(reply);
        }
    }

    private static void Finish<TJob>(IMessageStream stream, int start, int count, int slot, ref TJob job, ref byte[] replyBuffer)
        where TJob : IReceiverChunkJob, allows ref struct
    {
        var reply = Scratch.Ensure(ref replyBuffer, job.ReplyBytes(start, count));
        if (reply.Length > 0) stream.Receive(reply);
        job.Finish(start, count, slot, reply);
    }
}
