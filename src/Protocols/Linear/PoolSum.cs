namespace CoPriv.Protocols.Linear;

/// <summary>Window sums of an average pooling on one party's share, and the public divisor still to apply.</summary>
public sealed record PoolSum(ulong[] Share, int Divisor, int OutH, int OutW);
