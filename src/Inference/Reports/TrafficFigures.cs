using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Reports;

/// <summary>Bytes per direction and phase, and rounds: a measurement or a prediction, in a report.</summary>
public sealed record TrafficFigures(
    long PreprocessingServerToClient,
    long PreprocessingClientToServer,
    long OnlineServerToClient,
    long OnlineClientToServer,
    long Rounds)
{
    public static TrafficFigures Zero { get; } = new(0, 0, 0, 0, 0);

    public long PreprocessingBytes => PreprocessingServerToClient + PreprocessingClientToServer;
    public long OnlineBytes => OnlineServerToClient + OnlineClientToServer;
    public long TotalBytes => PreprocessingBytes + OnlineBytes;
    public long ServerToClientBytes => PreprocessingServerToClient + OnlineServerToClient;
    public long ClientToServerBytes => PreprocessingClientToServer + OnlineClientToServer;

    public static TrafficFigures From(CommunicationCost cost) => new(cost.PreprocessingServerToClient,
        cost.PreprocessingClientToServer, cost.OnlineServerToClient, cost.OnlineClientToServer, cost.Rounds);

    public static TrafficFigures operator +(TrafficFigures a, TrafficFigures b) => new(
        a.PreprocessingServerToClient + b.PreprocessingServerToClient, a.PreprocessingClientToServer + b.PreprocessingClientToServer,
        a.OnlineServerToClient + b.OnlineServerToClient, a.OnlineClientToServer + b.OnlineClientToServer, a.Rounds + b.Rounds);

    /// <summary>|this − predicted| / predicted in percent (0 when both are zero).</summary>
    public double DeviationPercentFrom(TrafficFigures predicted) =>
        predicted.TotalBytes == 0
            ? (TotalBytes == 0 ? 0 : 100)
            : 100.0 * Math.Abs(TotalBytes - predicted.TotalBytes) / predicted.TotalBytes;
}
