namespace CoPriv.Inference.Parties;

/// <summary>Which of its shares a party keeps after the last operation that reads them.</summary>
public enum ShareRetention
{
    /// <summary>Only the logits and the output (the argmax): enough to check a run against the reference.</summary>
    Output,

    /// <summary>Every tensor (the input and each operation's output): a debugging mode that checks every step.</summary>
    All,
}
