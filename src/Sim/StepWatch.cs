using CoPriv.Inference.Planning;
using CoPriv.Protocols.Channels;

namespace CoPriv.Sim;

/// <summary>
/// Follows the client's steps of one session for progress reports: every byte of the session crosses the client's
/// end once (sent or received), so the growth of its meter since a step began is that step's traffic.
/// </summary>
internal sealed class StepWatch(SecureInferencePlan plan, TrafficMeter clientMeter)
{
    private readonly object _gate = new();
    private readonly object _publishGate = new();
    private int _published;
    private int _position;
    private string _layerName = "";
    private long _bytesBefore;

    /// <summary>The client entered step <paramref name="position"/> (1-based; 1 is the setup): its progress, nothing yet.</summary>
    public StepProgress Enter(int position, string layerName)
    {
        long bytes = Bytes();
        lock (_gate) (_position, _layerName, _bytesBefore) = (position, layerName, bytes);
        return Progress(position, layerName, 0);
    }

    /// <summary>
    /// Hands <paramref name="progress"/> to <paramref name="report"/> in step order: the ticker's reading of a step the
    /// client has already left (taken just before it entered the next) is dropped, so a progress bar never goes back.
    /// </summary>
    public void Publish(StepProgress progress, Action<StepProgress> report)
    {
        lock (_publishGate)
        {
            if (progress.Position < _published) return;
            _published = progress.Position;
            report(progress);
        }
    }

    /// <summary>The current step's progress; null before the first step.</summary>
    public StepProgress? Current()
    {
        int position;
        string layerName;
        long before;
        lock (_gate) (position, layerName, before) = (_position, _layerName, _bytesBefore);
        return position == 0 ? null : Progress(position, layerName, Bytes() - before);
    }

    private StepProgress Progress(int position, string layerName, long bytes)
    {
        // The COT batches made after the setup step fall in whichever layer runs the backend dry.
        long predicted = position == 1
            ? plan.PredictedSetupBytes - plan.PredictedGenerationBytes + plan.PredictedSetupStepPreprocessing.TotalBytes
            : plan.PredictedLayerStep(position - 2).TotalBytes;
        return new StepProgress(position, plan.Layers.Count + 1, layerName, bytes, predicted);
    }

    private long Bytes()
    {
        var total = clientMeter.Total();
        return total.BytesSent + total.BytesReceived;
    }
}
