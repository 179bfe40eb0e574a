using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Metrics;
using CoPriv.Actors.Sessions;

namespace CoPriv.Actors.Tests;

/// <summary>The CoPriv.Actors meter, as a MeterListener (dotnet-counters, OpenTelemetry) sees it.</summary>
public sealed class SessionMetricsTests
{
    [Fact]
    public async Task A_completed_session_is_counted_with_its_bytes_and_seconds_per_role()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SessionMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await using var host = PartyHost.Start(new PartyHostOptions { SystemName = "metered", ServerPlanner = SumPlans.Planner(), Client = true });
        var done = await host.RunSessionAsync(host.Server!, SumPlans.ClientPlan(2, 1000), TimeSpan.FromSeconds(20), SumPlans.Parameters(1000, 1));
        // The party counts the session's end after answering the requester; look until both parties have.
        await Eventually.Get(() => Task.FromResult(measurements.Count(m => m.Instrument == "copriv.sessions.completed")), n => n >= 2);
        listener.RecordObservableInstruments();

        // Other tests run sessions in parallel on the same static meter: look for at least this session's share.
        double Sum(string instrument, string role, string? direction = null) => measurements
            .Where(m => m.Instrument == instrument && (string?)m.Tags["role"] == role
                        && (direction is null || (string?)m.Tags["direction"] == direction))
            .Sum(m => m.Value);
        foreach (var role in new[] { "server", "client" })
        {
            Assert.True(Sum("copriv.sessions.started", role) >= 1);
            Assert.True(Sum("copriv.sessions.completed", role) >= 1);
            Assert.True(Sum("copriv.session.bytes", role, "sent") >= 8000, $"{role} sent its 1000 words");
            Assert.True(Sum("copriv.session.bytes", role, "received") >= 8000, $"{role} received the peer's 1000 words");
            Assert.Contains(measurements, m => m.Instrument == "copriv.session.duration" && (string?)m.Tags["role"] == role
                                               && (string?)m.Tags["outcome"] == "completed");
            Assert.Contains(measurements, m => m.Instrument == "copriv.layer.duration" && (string?)m.Tags["role"] == role);
            Assert.Contains(measurements, m => m.Instrument == "copriv.sessions.running" && (string?)m.Tags["role"] == role);
        }
        Assert.Equal(SessionState.Completed, done.Status.State);
    }
}
