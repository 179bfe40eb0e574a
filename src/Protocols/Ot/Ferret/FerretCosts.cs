namespace CoPriv.Protocols.Ot;

/// <summary>
/// Exact traffic of a Ferret generator pair (<see cref="FerretCotSender"/> / <see cref="FerretCotReceiver"/>), as the
/// meters count it. Iterations fall between calls (the setup iteration runs at construction, a main one whenever
/// the buffer runs dry), so the figures are for the whole life of a pair that has handed out a given number of COTs.
/// </summary>
public static class FerretCosts
{
    /// <summary>COTs the setup iteration leaves for the user: its n minus the main reserve.</summary>
    public static long SetupOutputs(FerretParameters setup, FerretParameters main) => setup.Outputs - main.Reserve;

    /// <summary>COTs every main iteration hands out: n − reserve.</summary>
    public static long MainOutputs(FerretParameters main) => main.Outputs - main.Reserve;

    /// <summary>Iterations (setup included) a pair has run once it has handed out <paramref name="count"/> COTs.</summary>
    public static long Iterations(long count, FerretParameters setup, FerretParameters main)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long beyondSetup = Math.Max(0, count - SetupOutputs(setup, main));
        long perMain = MainOutputs(main);
        return 1 + (beyondSetup + perMain - 1) / perMain;
    }

    /// <summary>
    /// The iterations' traffic for <paramref name="count"/> COTs handed out: the sender's message per iteration; the
    /// receiver sends nothing. The sender never waits on the receiver, so all its messages are one flight as the meters
    /// count rounds (a receiver that runs dry waits one one-way latency for the next message). Excludes the bootstrap
    /// COTs (<see cref="Bootstrap"/>).
    /// </summary>
    public static OtTraffic Generate(long count, FerretParameters setup, FerretParameters main)
    {
        long iterations = Iterations(count, setup, main);
        return new OtTraffic(setup.SenderBytesPerIteration + (iterations - 1) * main.SenderBytesPerIteration, 0, 1);
    }

    /// <summary>The random COTs of the bootstrap source that fill the setup reserve (IKNP: 16 bytes each from the receiver).</summary>
    public static OtTraffic Bootstrap(FerretParameters setup, OtBackendCosts bootstrap) => bootstrap.RandomCot(setup.Reserve);

    /// <summary>Bits on the wire per COT handed out, in the steady state of main iterations.</summary>
    public static double SteadyBitsPerCot(FerretParameters main) =>
        8.0 * (main.SenderBytesPerIteration + main.ReceiverBytesPerIteration) / MainOutputs(main);
}
