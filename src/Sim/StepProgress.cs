namespace CoPriv.Sim;

/// <summary>
/// Where a running session stands: the client's current step (1-based <see cref="Position"/> of
/// <see cref="StepCount"/>; step 1 is the setup) and the bytes that crossed the link since it began, beside the cost
/// model's prediction for it, so that a long layer shows how far it has come.
/// </summary>
public sealed record StepProgress(int Position, int StepCount, string LayerName, long Bytes, long PredictedBytes)
{
    /// <summary>Bytes over predicted bytes, at most 1 (0 when nothing is predicted).</summary>
    public double Fraction => PredictedBytes <= 0 ? 0 : Math.Min(1, (double)Bytes / PredictedBytes);
}
