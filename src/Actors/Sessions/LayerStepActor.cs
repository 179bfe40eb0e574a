using System.Diagnostics;
using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>…/session-&lt;id&gt;/layer-NN-name</c>: runs one <see cref="ILayerStep"/> on a dedicated thread (the protocol
/// blocks; this actor's mailbox never does), pipes the outcome back as a message, and reports progress and the
/// step's traffic (from the channel's meter) to its session, periodically and at the end. Stops after reporting.
/// </summary>
public sealed class LayerStepActor : ReceiveActor, IWithTimers
{
    private readonly ILayerStep _step;
    private readonly LayerStepContext _context;
    private readonly TimeSpan _reportInterval;
    private readonly ProgressCell _progress;
    private readonly Stopwatch _clock = new();
    private long _sentBefore, _receivedBefore;

    public LayerStepActor(ILayerStep step, string sessionId, IChannel channel, int position, int stepCount,
        IReadOnlyDictionary<string, string> parameters, CancellationToken cancellation, TimeSpan reportInterval)
    {
        _step = step;
        _progress = new ProgressCell();
        _context = new LayerStepContext(sessionId, channel.Role, channel, position, stepCount,
            LayerNames.ForStep(position, step.Name), parameters, _progress.Set, cancellation);
        _reportInterval = reportInterval;

        Receive<ReportProgress>(_ => Context.Parent.Tell(Progressed()));
        Receive<StepReturned>(_ => Finish(error: null));
        Receive<StepThrew>(m => Finish(Describe(m.Error)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Props of the actor running <paramref name="step"/> at 1-based <paramref name="position"/>; the layer name (and
    /// so the actor name to create it under) is <see cref="LayerNames.ForStep"/>.
    /// </summary>
    public static Props Props(ILayerStep step, string sessionId, IChannel channel, int position, int stepCount,
        IReadOnlyDictionary<string, string> parameters, CancellationToken cancellation, TimeSpan reportInterval) =>
        Akka.Actor.Props.Create(() =>
            new LayerStepActor(step, sessionId, channel, position, stepCount, parameters, cancellation, reportInterval));

    protected override void PreStart()
    {
        var total = _context.Meter.Total();
        (_sentBefore, _receivedBefore) = (total.BytesSent, total.BytesReceived);
        _clock.Start();
        Timers.StartPeriodicTimer(nameof(ReportProgress), ReportProgress.Instance, _reportInterval);

        var step = _step;
        var context = _context;
        Task.Factory.StartNew(() =>
            {
                using (context.Meter.Enter(context.LayerName, TrafficScope.Unscoped.Operator))
                    step.Run(context);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .PipeTo(Self, success: () => StepReturned.Instance, failure: e => new StepThrew(e));
    }

    private void Finish(string? error)
    {
        Timers.CancelAll();
        _clock.Stop();
        var (sent, received) = Traffic();
        Context.Parent.Tell(error is null
            ? new LayerStepSucceeded(_context.Position, sent, received, _clock.Elapsed)
            : new LayerStepFailed(_context.Position, error, sent, received, _clock.Elapsed));
        Context.Stop(Self);
    }

    private LayerProgressed Progressed()
    {
        var (sent, received) = Traffic();
        return new LayerProgressed(_context.Position, _progress.Value, sent, received, _clock.Elapsed);
    }

    /// <summary>
    /// The step's bytes: the meter's growth since the step began. Steps of a session run one after another on the
    /// session's own channel, so the growth is the step's, whatever scopes the step books to.
    /// </summary>
    private (long Sent, long Received) Traffic()
    {
        var total = _context.Meter.Total();
        return (total.BytesSent - _sentBefore, total.BytesReceived - _receivedBefore);
    }

    private static string Describe(Exception error)
    {
        var root = error is AggregateException aggregate ? aggregate.GetBaseException() : error;
        return $"{root.GetType().Name}: {root.Message}";
    }

    /// <summary>Latest progress written by the step's thread, read by the actor's timer (no message per report).</summary>
    private sealed class ProgressCell
    {
        private double _value;
        public double Value => Volatile.Read(ref _value);
        public void Set(double value) => Volatile.Write(ref _value, value);
    }

    private sealed record ReportProgress : INoSerializationVerificationNeeded
    {
        public static readonly ReportProgress Instance = new();
    }

    private sealed record StepReturned : INoSerializationVerificationNeeded
    {
        public static readonly StepReturned Instance = new();
    }

    private sealed record StepThrew(Exception Error) : INoSerializationVerificationNeeded;
}
