using System.Globalization;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Reports;

/// <summary>
/// Builds <see cref="InferenceReport"/>s: the cost model's prediction of a plan, or a run's measurement from the two
/// parties' traffic meters with the prediction beside every operator (warning where they differ by 1 % or more).
/// </summary>
public static class InferenceReportBuilder
{
    /// <summary>Relative difference between prediction and measurement from which a report warns.</summary>
    public const double WarningPercent = 1.0;

    /// <summary>The cost model's figures for a plan: what a run would send, without running it.</summary>
    public static InferenceReport Prediction(SecureInferencePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var layers = plan.Layers.Select(l => new LayerReport(l.Index, l.Name, l.Node, l.Operators.Select(o =>
            new OperatorReport(o.Name, o.Kind, o.Category, o.Protocol, o.OutputShape.ToString(), TrafficFigures.From(o.Predicted),
                null, null, null)).ToArray())).ToArray();
        var predicted = TrafficFigures.From(plan.PredictedCost);
        return new InferenceReport
        {
            Kind = InferenceReport.PredictionKind,
            Model = plan.ModelName,
            Protocol = plan.Policy.Name,
            Ot = plan.Policy.Ot.Name,
            RingBits = plan.Policy.RingBits,
            Scale = plan.Policy.Scale,
            Traffic = predicted,
            Predicted = predicted,
            SetupBytes = plan.PredictedSetupBytes,
            SetupRounds = plan.PredictedSetupRounds,
            Preprocess = plan.Policy.Preprocess.Name(),
            Categories = Categories(layers, o => o.Predicted),
            Layers = layers,
            Warnings = [],
        };
    }

    /// <summary>
    /// A run's report from both parties' meters (whose traffic the plan's layers booked), with each party's times
    /// when its <see cref="PartyInference"/> is at hand (null for a party that ran elsewhere).
    /// </summary>
    public static InferenceReport SecureRun(SecureInferencePlan plan, TrafficMeter serverMeter, TrafficMeter clientMeter,
        PartyInference? server = null, PartyInference? client = null)
    {
        ArgumentNullException.ThrowIfNull(serverMeter);
        ArgumentNullException.ThrowIfNull(clientMeter);
        return SecureRun(plan, serverMeter.Snapshot(), clientMeter.Snapshot(), server, client);
    }

    /// <summary>
    /// The same from the two parties' traffic records, e.g. a client's own meter and the records its server reported
    /// at the end of a session between two machines.
    /// </summary>
    public static InferenceReport SecureRun(SecureInferencePlan plan, IReadOnlyList<TrafficRecord> serverTraffic,
        IReadOnlyList<TrafficRecord> clientTraffic, PartyInference? server = null, PartyInference? client = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(serverTraffic);
        ArgumentNullException.ThrowIfNull(clientTraffic);
        var measured = new Dictionary<(string Layer, string Operator), CommunicationCost>();
        long setupBytes = 0, setupRounds = 0;
        var warnings = new List<string>();
        var scopes = plan.Layers.SelectMany(l => l.Operators.Select(o => (l.Name, o.Name))).ToHashSet();
        foreach (var (records, role) in new[] { (serverTraffic, PartyRole.Server), (clientTraffic, PartyRole.Client) })
        {
            foreach (var r in records)
            {
                if (r.Phase == Phase.Setup)
                {
                    setupBytes += r.BytesSent;
                    setupRounds += r.Rounds;
                    continue;
                }
                var key = (r.Layer, r.Operator);
                if (!scopes.Contains(key))
                    warnings.Add($"{role.ToString().ToLowerInvariant()} sent {r.BytesSent} B in {r.Phase} outside the plan's layers ({r.Layer}/{r.Operator})");
                var cost = r.Phase == Phase.Preprocessing
                    ? CommunicationCost.Preprocessing(role == PartyRole.Server ? r.BytesSent : 0, role == PartyRole.Client ? r.BytesSent : 0, r.Rounds)
                    : CommunicationCost.Online(role == PartyRole.Server ? r.BytesSent : 0, role == PartyRole.Client ? r.BytesSent : 0, r.Rounds);
                measured[key] = measured.GetValueOrDefault(key) + cost;
            }
        }

        bool exact = true;
        var layers = plan.Layers.Select(l => new LayerReport(l.Index, l.Name, l.Node, l.Operators.Select((o, j) =>
        {
            var predicted = TrafficFigures.From(o.Predicted);
            var actual = TrafficFigures.From(measured.GetValueOrDefault((l.Name, o.Name)));
            if (actual != predicted)
            {
                exact = false;
                double deviation = actual.DeviationPercentFrom(predicted);
                if (deviation >= WarningPercent)
                    warnings.Add($"{l.Name}/{o.Name}: measured {actual.TotalBytes} B, the cost model predicts {predicted.TotalBytes} B ({Percent(deviation)} off)");
                else if (actual.Rounds != predicted.Rounds)
                    warnings.Add($"{l.Name}/{o.Name}: {actual.Rounds} rounds measured, {predicted.Rounds} predicted");
            }
            return new OperatorReport(o.Name, o.Kind, o.Category, o.Protocol, o.OutputShape.ToString(), predicted, actual,
                Seconds(server, l.Index, j), Seconds(client, l.Index, j));
        }).ToArray())).ToArray();

        var traffic = layers.Aggregate(TrafficFigures.Zero, (sum, l) => sum + l.Measured!);
        var total = TrafficFigures.From(plan.PredictedCost);
        if (traffic.DeviationPercentFrom(total) >= WarningPercent)
            warnings.Add($"total: measured {traffic.TotalBytes} B, the cost model predicts {total.TotalBytes} B ({Percent(traffic.DeviationPercentFrom(total))} off)");
        double? serverSeconds = server?.LayersTime.TotalSeconds, clientSeconds = client?.LayersTime.TotalSeconds;
        bool ahead = plan.Policy.Preprocess == PreprocessMode.Ahead;
        return new InferenceReport
        {
            Kind = InferenceReport.SecureRunKind,
            Model = plan.ModelName,
            Protocol = plan.Policy.Name,
            Ot = plan.Policy.Ot.Name,
            RingBits = plan.Policy.RingBits,
            Scale = plan.Policy.Scale,
            Traffic = traffic,
            Predicted = total,
            PredictionExact = exact,
            SetupBytes = setupBytes,
            SetupRounds = setupRounds,
            Seconds = serverSeconds is null && clientSeconds is null ? null : Math.Max(serverSeconds ?? 0, clientSeconds ?? 0),
            SetupSeconds = server is null && client is null ? null
                : Math.Max(server?.SetupTime.TotalSeconds ?? 0, client?.SetupTime.TotalSeconds ?? 0),
            ServerSeconds = serverSeconds,
            ClientSeconds = clientSeconds,
            Preprocess = plan.Policy.Preprocess.Name(),
            PreprocessingSeconds = !ahead || (server is null && client is null) ? null
                : Math.Max(server?.PreprocessingTime.TotalSeconds ?? 0, client?.PreprocessingTime.TotalSeconds ?? 0),
            ServerPreprocessedBytes = ahead ? server?.PreprocessedBytes : null,
            ClientPreprocessedBytes = ahead ? client?.PreprocessedBytes : null,
            Categories = Categories(layers, o => o.Measured!),
            Layers = layers,
            Warnings = warnings,
        };
    }

    private static double? Seconds(PartyInference? party, int layer, int op) =>
        party is null || party.CompletedLayers <= layer ? null : party.OperatorTime(layer, op).TotalSeconds;

    private static IReadOnlyList<CategoryTraffic> Categories(IEnumerable<LayerReport> layers, Func<OperatorReport, TrafficFigures> figures)
    {
        var operators = layers.SelectMany(l => l.Operators).ToArray();
        long total = operators.Sum(o => figures(o).TotalBytes);
        return operators.GroupBy(o => o.Category).OrderBy(g => g.Key).Select(g =>
        {
            long bytes = g.Sum(o => figures(o).TotalBytes);
            return new CategoryTraffic(g.Key, bytes, g.Sum(o => figures(o).PreprocessingBytes), g.Sum(o => figures(o).OnlineBytes),
                total == 0 ? 0 : (double)bytes / total);
        }).ToArray();
    }

    private static string Percent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " %";
}
