using System.Diagnostics;
using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Simulation;
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

    public LayerStepActor(ILayerStep step, string sessionId, IChannel channel, int position, int stepCount,
        IReadOnlyDictionary<string, string> parameters, CancellationToken cancellation, TimeSpan reportInterval)
    {
        _step = step;
        _progress = new ProgressCell();
        _context = new LayerStepContext(sessionId, channel.Role, channel, position, stepCount,
            LayerNames.ForStep(position, step.Name), parameters, _progress.Set, cancellation);
        _reportInterval = reportInterval;

        Receive<ReportProgress>(_ => Context.Parent.Tell(Progressed()));
        Receive<StepReturned>(m => Finish(error: null, m.Compute));
        Receive<StepThrew>(m => Finish(Describe(m.Error), compute: null));
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
        _clock.Start();
        Timers.StartPeriodicTimer(nameof(ReportProgress), ReportProgress.Instance, _reportInterval);

        var step = _step;
        var context = _context;
        Task.Factory.StartNew(() =>
            {
                double cpuBefore = ThreadCpuTime.IsSupported ? ThreadCpuTime.Seconds() : 0;
                using (context.Meter.Enter(context.LayerName, TrafficScope.Unscoped.Operator))
                    step.Run(context);
                return ThreadCpuTime.IsSupported ? TimeSpan.FromSeconds(ThreadCpuTime.Seconds() - cpuBefore) : (TimeSpan?)null;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .PipeTo(Self, success: compute => new StepReturned(compute), failure: e => new StepThrew(e));
    }

    private void Finish(string? error, TimeSpan? compute)
    {
        Timers.CancelAll();
        _clock.Stop();
        var traffic = _context.TrafficSoFar();
        Context.Parent.Tell(error is null
            ? new LayerStepSucceeded(_context.Position, traffic, _clock.Elapsed, compute, _context.SendsElsewhere)
            : new LayerStepFailed(_context.Position, error, traffic, _clock.Elapsed));
        Context.Stop(Self);
    }

    private LayerProgressed Progressed() =>
        new(_context.Position, _progress.Value, _context.TrafficSoFar(), _clock.Elapsed, _context.SendsElsewhere);

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

    private sealed record StepReturned(TimeSpan? Compute) : INoSerializationVerificationNeeded;

    private sealed record StepThrew(Exception Error) : INoSerializationVerificationNeeded;
}
