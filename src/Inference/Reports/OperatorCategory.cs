namespace CoPriv.Inference.Reports;

/// <summary>The groups a report splits traffic into (SCI's own split: linear, BatchNorm, ReLU, truncation, …).</summary>
public enum OperatorCategory
{
    /// <summary>Convolutions and fully connected layers (OT matrix products).</summary>
    Linear,

    /// <summary>BatchNorm kept as an element-wise OT product.</summary>
    BatchNorm,

    Relu,
    Truncation,

    /// <summary>Average pooling (exact division) and max pooling.</summary>
    Pooling,

    /// <summary>The final argmax that reveals the class to the client.</summary>
    ArgMax,

    /// <summary>Additions, scale-ups, reshapes: each party on its own share, no traffic.</summary>
    Local,
}
