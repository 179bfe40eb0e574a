namespace CoPriv.Optimize;

/// <summary>
/// Progress of a training phase: after each epoch (<see cref="EpochEnd"/>; <see cref="HeldOutAccuracy"/> set when
/// measured; a phase that stops early ends its last epoch before its last step) and, when asked, every few steps. <see cref="Loss"/> and <see cref="TrainAccuracy"/> are means over the epoch's steps so far; the
/// training accuracy is against the labels, or the teacher's class on generated data. <see cref="ImagesPerSecond"/>
/// counts training images (forward and backward) over the epoch's wall time so far, evaluation excluded.
/// <see cref="Detail"/> is the phase's own state in words (gates kept, ReLU count, penalty).
/// </summary>
public sealed record EpochReport(
    string Phase, int Epoch, int Epochs, int Step, int StepsPerEpoch, bool EpochEnd,
    double Loss, double TrainAccuracy, double? HeldOutAccuracy, double ImagesPerSecond, string Detail)
{
    public override string ToString() =>
        $"{Phase} epoch {Epoch}/{Epochs} step {Step}/{StepsPerEpoch}: loss {Loss:F4}, train accuracy {TrainAccuracy:P1}" +
        (HeldOutAccuracy is { } held ? $", held-out accuracy {held:P1}" : "") + $", {ImagesPerSecond:F0} images/s" +
        (Detail.Length > 0 ? $", {Detail}" : "");
}
