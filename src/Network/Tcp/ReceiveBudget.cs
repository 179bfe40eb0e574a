using System.Diagnostics;

namespace CoPriv.Network.Tcp;

/// <summary>
/// The bytes of whole messages that reached this end of a TCP channel and that this party has not received yet, per
/// stream and in all. The channel's reader stops taking data off the connection while the total is at the limit, so
/// TCP pushes back on the peer instead of this end's memory growing; a party that leaves the data unread for the
/// idle timeout fails the session, since it will not read it.
/// </summary>
internal sealed class ReceiveBudget(long maxUnreadBytes, TimeSpan idleTimeout)
{
    private readonly Dictionary<string, long> _unreadByStream = new(StringComparer.Ordinal);
    private long _unread;
    private bool _closed;

    /// <summary>The reader queued a message of <paramref name="bytes"/> on the stream.</summary>
    public void Arrived(string stream, int bytes)
    {
        lock (_unreadByStream)
        {
            _unread += bytes;
            _unreadByStream[stream] = _unreadByStream.GetValueOrDefault(stream) + bytes;
        }
    }

    /// <summary>The party received a message of <paramref name="bytes"/> from the stream.</summary>
    public void Taken(string stream, int bytes)
    {
        lock (_unreadByStream)
        {
            _unread -= bytes;
            _unreadByStream[stream] -= bytes;
            Monitor.PulseAll(_unreadByStream);
        }
    }

    /// <summary>
    /// Waits until the party has room for more data. Returns null when there is room, or, if the unread bytes
    /// stayed at the limit for the idle timeout, why the session cannot go on.
    /// </summary>
    public string? WaitForRoom()
    {
        lock (_unreadByStream)
        {
            if (_unread < maxUnreadBytes || _closed) return null;
            var sinceLastTaken = Stopwatch.StartNew();
            long unreadBefore = _unread;
            while (_unread >= maxUnreadBytes && !_closed)
            {
                if (_unread < unreadBefore)
                {
                    unreadBefore = _unread;
                    sinceLastTaken.Restart();
                }
                var left = idleTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromMinutes(1) : idleTimeout - sinceLastTaken.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    var (stream, bytes) = _unreadByStream.MaxBy(s => s.Value);
                    return $"this party left {_unread} bytes of the peer's messages unread for {idleTimeout.TotalSeconds:0.###} s " +
                           $"(limit {maxUnreadBytes} bytes; stream '{stream}' holds {bytes})";
                }
                Monitor.Wait(_unreadByStream, left);
            }
            return null;
        }
    }

    /// <summary>This end is closed and drops what is unread: a waiting reader goes on, to find the connection closed.</summary>
    public void Close()
    {
        lock (_unreadByStream)
        {
            _closed = true;
            Monitor.PulseAll(_unreadByStream);
        }
    }
}
