namespace CoPriv.Network.Tcp;

/// <summary>
/// Sits between the TLS stream and the socket and batches the socket's system calls: SslStream writes every TLS record
/// (at most 16 KiB) on its own and reads about one record at a time, and a system call per record costs a fifth to a
/// quarter of the data plane's CPU with TLS. Synchronous writes (the channel's sends) are gathered into one socket
/// write at <see cref="Flush"/>; synchronous reads (the channel's reader) are served from a large read-ahead.
/// Asynchronous calls (the handshake) pass straight through once nothing is gathered or read ahead.
/// </summary>
internal sealed class SocketBatchingStream(Stream inner, int writeCapacity) : Stream
{
    private const int ReadAheadBytes = 1 << 20;

    private readonly byte[] _pending = new byte[writeCapacity];
    private int _pendingLength;
    private readonly byte[] _readAhead = new byte[ReadAheadBytes];
    private int _readStart, _readEnd;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    // The channel writes under its own lock, but TLS may answer a post-handshake message from the reading thread.
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_pending)
        {
            if (_pendingLength + buffer.Length > _pending.Length) Flush();
            if (buffer.Length > _pending.Length)
            {
                inner.Write(buffer);
                return;
            }
            buffer.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += buffer.Length;
        }
    }

    public override void Flush()
    {
        lock (_pending)
        {
            if (_pendingLength == 0) return;
            int length = _pendingLength;
            // Dropped even if the write fails: the connection is broken then, and the channel with it.
            _pendingLength = 0;
            inner.Write(_pending, 0, length);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Flush();
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= _readAhead.Length) return inner.Read(buffer);
            _readStart = 0;
            _readEnd = inner.Read(_readAhead);
        }
        int length = Math.Min(buffer.Length, _readEnd - _readStart);
        _readAhead.AsSpan(_readStart, length).CopyTo(buffer);
        _readStart += length;
        return length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _readStart < _readEnd ? ValueTask.FromResult(Read(buffer.Span)) : inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
