using CoPriv.Network.Timeline;

namespace CoPriv.Network.Simulation;

/// <summary>
/// One party's simulated time in a discrete-event run over a modelled link. Messages move at once in real time;
/// instead, each carries the virtual time at which it would arrive, and the party's time advances by its own
/// measured compute between channel operations and by waiting for arrivals. Nobody sleeps.
/// <para>
/// Time is kept per <em>flow</em>: the logical thread of control that performs channel operations, followed
/// through <c>Task.Run</c>, <c>Parallel.Invoke</c> and <c>await</c> by an async-local. A party that drives two
/// streams from two threads therefore has two flows whose latencies overlap, as they would on a real link.
/// The rules:
/// </para>
/// <list type="bullet">
/// <item>Compute: the flow's time grows by the <see cref="ComputeTimer"/> reading of its thread between the end of
/// one of its operations and the start of the next (the operation itself, a copy into a queue, is not
/// compute). Compute before a flow's first operation counts only inside <see cref="BeginFlow"/>.</item>
/// <item>Send: the message leaves at the flow's time; a receive ends at max(flow time, arrival).</item>
/// <item>Streams stay causal: an operation on a stream never happens before the previous one on that stream at
/// this end, even when different flows take turns on it.</item>
/// <item>Fork: a flow first seen on a thread other than its parent's, while the parent is still active, starts a
/// child flow at the parent's time. Join: once a child's execution context has left its thread (its task ended),
/// the parent's next operation happens no earlier than the child's end. This assumes fork–join parallelism; a
/// child that ends while the parent still runs a concurrent branch of its own delays that branch (conservative).</item>
/// <item>A flow with no parent (e.g. work started by an actor message) starts at the party's latest time so far,
/// so that independent pieces of one party's work are never stamped before earlier ones.</item>
/// </list>
/// Channels call <see cref="BeginOperation"/> and then <see cref="CompleteSend"/> or <see cref="CompleteReceive"/>
/// around each message; protocol code never sees the clock.
/// <para>
/// The clock also keeps, for a timeline of the run (<see cref="Activity"/>), when the party computed and when it
/// waited: every piece of compute it books, at the virtual time it books it, and every wait of a receive, in
/// <see cref="IntervalUnion"/>s of bounded size. Keeping them adds no virtual time and allocates nothing per message.
/// </para>
/// </summary>
public sealed class VirtualClock
{
    [ThreadStatic] private static VirtualClock? t_arrivalClock;
    [ThreadStatic] private static double t_arrivalReading;

    private readonly object _gate = new();
    private readonly AsyncLocal<Flow?> _current;
    private readonly Dictionary<string, double> _streamTimes = new(StringComparer.Ordinal);
    private readonly Func<double> _read;
    private readonly IntervalUnion _computing = new(), _waiting = new();
    private double _frontier, _compute, _wait, _overhead;
    private long _operations;

    public VirtualClock(ComputeTimer timer = ComputeTimer.ThreadCpu)
    {
        Timer = timer == ComputeTimer.ThreadCpu && !ThreadCpuTime.IsSupported ? ComputeTimer.Wall : timer;
        _read = Timer == ComputeTimer.ThreadCpu ? ThreadCpuTime.Seconds : ThreadCpuTime.WallSeconds;
        _current = new AsyncLocal<Flow?>(OnContextChanged);
    }

    /// <summary>The timer in use (<see cref="ComputeTimer.Wall"/> where the OS offers no thread CPU clock).</summary>
    public ComputeTimer Timer { get; }

    /// <summary>The party's latest simulated time: the last event of any of its flows, in seconds.</summary>
    public double NowSeconds { get { lock (_gate) return _frontier; } }

    /// <summary>Timing of this party so far.</summary>
    public PartyTiming Snapshot()
    {
        lock (_gate)
        {
            return new PartyTiming(TimeSpanOf(_frontier), TimeSpanOf(_compute), TimeSpanOf(_wait), _operations, TimeSpanOf(_overhead));
        }
    }

    /// <summary>
    /// When this party's flows computed and when they waited for arrivals, so far: each the union over the flows (time
    /// in which at least one flow computed, or waited), cut at <paramref name="until"/> and to at most
    /// <paramref name="maxIntervals"/> intervals. A piece of compute lies where the flow's time advanced by it; a
    /// wait from a receive's start to the message's arrival.
    /// </summary>
    public PartyActivity Activity(int maxIntervals = IntervalUnion.DefaultCapacity, double until = double.PositiveInfinity)
    {
        lock (_gate) return new PartyActivity(_computing.Snapshot(maxIntervals, until), _waiting.Snapshot(maxIntervals, until));
    }

    /// <summary>
    /// Marks the start of a piece of this party's work on the calling thread (its compute from here on counts) and,
    /// on disposal, its end (its compute up to there counts, and the party's time includes everything the piece
    /// and its helper flows did). Use it in a <c>using</c> around synchronous party code.
    /// </summary>
    public IDisposable BeginFlow()
    {
        lock (_gate)
        {
            var previous = _current.Value;
            var flow = new Flow();
            _current.Value = flow;
            flow.Time = previous is null ? _frontier : previous.Time + previous.Pending;
            return new FlowScope(this, flow, previous);
        }
    }

    /// <summary>
    /// Books time the party spent outside every flow, such as a runtime starting the party's next piece of work: the
    /// party's latest time moves on by <paramref name="duration"/>, so the next root flow starts that much later.
    /// Counted apart from compute (<see cref="PartyTiming.OverheadTime"/>).
    /// </summary>
    public void Elapse(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "time cannot run backwards");
        lock (_gate)
        {
            _frontier += duration.TotalSeconds;
            _overhead += duration.TotalSeconds;
        }
    }

    /// <summary>
    /// Holds the party, outside every flow, until <paramref name="seconds"/> (e.g. until the peer is ready for an input
    /// that only then exists): its latest time becomes at least that, and the time it moves on counts as waiting.
    /// </summary>
    public void WaitUntil(double seconds)
    {
        lock (_gate)
        {
            if (!(seconds > _frontier)) return;
            _wait += seconds - _frontier;
            _waiting.Add(_frontier, seconds);
            _frontier = seconds;
        }
    }

    /// <summary>
    /// Starts a channel operation on <paramref name="stream"/> from the calling flow and returns the virtual time
    /// at which it happens (the send time of a message). Must be followed by <see cref="CompleteSend"/> or
    /// <see cref="CompleteReceive"/> on the same thread.
    /// </summary>
    public ClockedOperation BeginOperation(string stream)
    {
        lock (_gate)
        {
            var flow = CurrentFlow();
            if (!double.IsNaN(flow.Reading))
            {
                double compute = _read() - flow.Reading;
                // After the compute the flow did on threads it has left (its pending time), as the two add up below.
                double from = flow.Time + flow.Pending;
                _computing.Add(from, from + compute);
                flow.Time += compute;
                _compute += compute;
            }
            flow.Time += flow.Pending;
            flow.Pending = 0;
            JoinFinishedChildren(flow);
            flow.Time = Math.Max(flow.Time, _streamTimes.GetValueOrDefault(stream));
            _operations++;
            return new ClockedOperation(flow, stream, flow.Time);
        }
    }

    /// <summary>Ends a send begun with <see cref="BeginOperation"/>: the sender does not wait for the link.</summary>
    public void CompleteSend(in ClockedOperation operation)
    {
        lock (_gate)
        {
            Advance(operation, operation.Seconds);
        }
    }

    /// <summary>
    /// Ends a receive begun with <see cref="BeginOperation"/> of a message that arrives at
    /// <paramref name="arrivalSeconds"/>: the flow waits for it if it is not there yet. Returns the flow's new time.
    /// </summary>
    public double CompleteReceive(in ClockedOperation operation, double arrivalSeconds)
    {
        lock (_gate)
        {
            var flow = operation.Flow;
            double after = Math.Max(flow.Time, arrivalSeconds);
            _wait += after - flow.Time;
            _waiting.Add(flow.Time, after);
            Advance(operation, after);
            return after;
        }
    }

    private void Advance(in ClockedOperation operation, double seconds)
    {
        var flow = operation.Flow;
        flow.Time = Math.Max(flow.Time, seconds);
        _streamTimes[operation.Stream] = Math.Max(_streamTimes.GetValueOrDefault(operation.Stream), flow.Time);
        _frontier = Math.Max(_frontier, flow.Time);
        if (flow.Thread == Environment.CurrentManagedThreadId) flow.Reading = _read();
    }

    /// <summary>The calling thread's flow, forking a child or starting a root flow as the rules say.</summary>
    private Flow CurrentFlow()
    {
        int thread = Environment.CurrentManagedThreadId;
        var flow = _current.Value;
        if (flow is null)
        {
            flow = new Flow() { Time = _frontier };
            _current.Value = flow;
            return flow;
        }
        if (flow.Thread == thread) return flow;

        // The parent is active on another thread: this is a helper flow. Its compute since its task arrived on
        // this thread is its own.
        double sinceArrival = t_arrivalClock == this && !double.IsNaN(t_arrivalReading) ? _read() - t_arrivalReading : 0;
        _computing.Add(flow.Time, flow.Time + sinceArrival);
        var child = new Flow();
        flow.Children.Add(child);
        _current.Value = child;
        child.Time = flow.Time + sinceArrival;
        _compute += sinceArrival;
        return child;
    }

    private static void JoinFinishedChildren(Flow flow)
    {
        for (int i = flow.Children.Count - 1; i >= 0; i--)
        {
            var child = flow.Children[i];
            if (child.Presence > 0) continue;
            flow.Time = Math.Max(flow.Time, EndOf(child));
            flow.Children.RemoveAt(i);
        }
    }

    private static double EndOf(Flow flow)
    {
        double end = flow.Time + flow.Pending;
        foreach (var child in flow.Children)
            if (child.Presence == 0) end = Math.Max(end, EndOf(child));
        return end;
    }

    /// <summary>
    /// Follows flows across threads: called whenever a flow becomes or stops being current on a thread, both when
    /// the code sets it and when an execution context is switched in or out (a task starting or ending).
    /// </summary>
    private void OnContextChanged(AsyncLocalValueChangedArgs<Flow?> change)
    {
        lock (_gate)
        {
            int thread = Environment.CurrentManagedThreadId;
            if (change.PreviousValue is { } left)
            {
                left.Presence--;
                if (left.Thread == thread && !double.IsNaN(left.Reading))
                {
                    double compute = _read() - left.Reading;
                    double from = left.Time + left.Pending;
                    _computing.Add(from, from + compute);
                    left.Pending += compute;
                    _compute += compute;
                    left.Reading = double.NaN;
                }
            }
            if (change.CurrentValue is { } arrived)
            {
                double reading = _read();
                t_arrivalClock = this;
                t_arrivalReading = reading;
                if (arrived.Presence == 0)
                {
                    // Not active anywhere else: the flow itself moves here (a new flow, or one resuming after await).
                    arrived.Thread = thread;
                    arrived.Reading = reading;
                }
                arrived.Presence++;
            }
        }
    }

    private void EndFlow(Flow flow, Flow? previous)
    {
        lock (_gate)
        {
            _current.Value = previous;
            double end = EndOf(flow);
            _frontier = Math.Max(_frontier, end);
            if (previous is not null) previous.Time = Math.Max(previous.Time, end);
        }
    }

    private static TimeSpan TimeSpanOf(double seconds) => Links.Latency.FromSeconds(seconds);

    /// <summary>One flow's state; guarded by the clock's lock.</summary>
    internal sealed class Flow
    {
        /// <summary>Helper flows forked from this one and not yet joined.</summary>
        public readonly List<Flow> Children = [];
        /// <summary>Virtual time after the flow's last operation (plus compute already booked).</summary>
        public double Time;
        /// <summary>Compute done after the last operation on a thread the flow has since left.</summary>
        public double Pending;
        /// <summary>Timer reading on <see cref="Thread"/> when the flow's last operation ended; NaN when unknown.</summary>
        public double Reading = double.NaN;
        /// <summary>The thread the flow runs its operations on.</summary>
        public int Thread = -1;
        /// <summary>On how many threads this flow is the current one.</summary>
        public int Presence;
    }

    private sealed class FlowScope(VirtualClock clock, Flow flow, Flow? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            clock.EndFlow(flow, previous);
        }
    }
}

/// <summary>A channel operation in progress: the flow performing it, its stream, and its virtual time.</summary>
public readonly struct ClockedOperation
{
    internal ClockedOperation(VirtualClock.Flow flow, string stream, double seconds)
    {
        Flow = flow;
        Stream = stream;
        Seconds = seconds;
    }

    internal VirtualClock.Flow Flow { get; }

    public string Stream { get; }

    /// <summary>The virtual time of the operation (for a send: when the message is handed to the link).</summary>
    public double Seconds { get; }
}
