namespace CoPriv.Protocols.Ot;

/// <summary>
/// One primal-LPN parameter set of a Ferret iteration: n = T·2^LogBlock outputs, a k×n code with
/// <see cref="FerretParameters.CodeWeight"/> ones per column, T noisy positions (one per block of 2^LogBlock, i.e.
/// regular noise). An iteration consumes <see cref="Reserve"/> = k + T·LogBlock random COTs (k for the code's input,
/// one per GGM level for the single-point COTs) and makes n. Both parties must use the same set; it is public.
/// </summary>
/// <param name="Outputs">n, the COTs one iteration makes.</param>
/// <param name="CodeInputs">k, the random COTs the linear code expands.</param>
/// <param name="NoisyBlocks">T, the number of single-point COTs (noise weight).</param>
/// <param name="LogBlock">h, the depth of each GGM tree; every block has 2^h positions.</param>
public sealed record FerretParameters(int Outputs, int CodeInputs, int NoisyBlocks, int LogBlock)
{
    /// <summary>Nonzero entries per column of the code (Ferret's d).</summary>
    public const int CodeWeight = 10;

    /// <summary>
    /// The main iteration of emp-ot's <c>ferret_b13</c> (128-bit security against the LPN attacks the Ferret paper
    /// considers): n = 10,485,760, k = 452,000, T = 1,280, blocks of 2^13.
    /// </summary>
    public static readonly FerretParameters Main128 = new(10_485_760, 452_000, 1_280, 13);

    /// <summary>
    /// The setup iteration of <c>ferret_b13</c>, run once on IKNP COTs to fill <see cref="Main128"/>'s reserve:
    /// n = 470,016, k = 32,768, T = 918, blocks of 2^9.
    /// </summary>
    public static readonly FerretParameters Setup128 = new(470_016, 32_768, 918, 9);

    /// <summary>Small main set for unit tests (n = 2^14). No security: never use it outside tests.</summary>
    public static readonly FerretParameters TestMain = new(16_384, 2_048, 64, 8);

    /// <summary>Small setup set for unit tests: makes <see cref="TestMain"/>'s reserve of 2,560. No security.</summary>
    public static readonly FerretParameters TestSetup = new(3_072, 512, 48, 6);

    /// <summary>Random COTs one iteration consumes: k for the code, one per tree level for the single-point COTs.</summary>
    public int Reserve => CodeInputs + LevelCots;

    /// <summary>Random COTs the single-point COTs consume (T·h), stored after the code's k in the reserve.</summary>
    public int LevelCots => NoisyBlocks * LogBlock;

    /// <summary>Positions per noisy block, 2^h.</summary>
    public int BlockSize => 1 << LogBlock;

    /// <summary>
    /// Bytes the COT sender sends per iteration: per single-point COT, two 16-byte messages per level (the level
    /// sums under the chosen-OT pads) and the 16-byte leaf correction. The receiver sends nothing: its noisy
    /// positions are read off its random level choices, so no choice is derandomized.
    /// </summary>
    public long SenderBytesPerIteration => (long)NoisyBlocks * SinglePointCot.MessageBytes(LogBlock);

    /// <summary>Bytes the COT receiver sends per iteration: none.</summary>
    public long ReceiverBytesPerIteration => 0;

    /// <summary>
    /// Checks the set against the next one: n = T·2^h, k ≥ 1, and n covers the reserve of <paramref name="next"/>
    /// (the iteration that follows this one), leaving at least one output.
    /// </summary>
    public void Validate(FerretParameters next)
    {
        if (LogBlock is < 1 or > 24 || NoisyBlocks < 1 || CodeInputs < 1)
            throw new ArgumentException($"invalid Ferret parameters {this}");
        if ((long)NoisyBlocks << LogBlock != Outputs)
            throw new ArgumentException($"Ferret parameters {this}: n must be T·2^h = {(long)NoisyBlocks << LogBlock}");
        if (Outputs <= next.Reserve)
            throw new ArgumentException($"Ferret parameters {this} make {Outputs} COTs, not more than the next iteration's reserve {next.Reserve}");
    }
}
