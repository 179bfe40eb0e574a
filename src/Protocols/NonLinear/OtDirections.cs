using System.Runtime.CompilerServices;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Whether the non-linear protocols of a party run their two independent OT batches — one with the server as OT
/// sender, one with the client — at the same time, one thread per direction, instead of one after the other on the
/// caller's thread. Sequential (the default) keeps every party on one thread, as SCI's single-thread mode; concurrent
/// lets the two parties hash their OT replies at once, which is where the time goes. Both parties may choose
/// independently: the wire traffic and the results are the same either way.
/// </summary>
/// <remarks>Kept beside the context rather than in it because the OT layer owns <see cref="PartyContext"/>.</remarks>
public static class OtDirections
{
    private static readonly ConditionalWeakTable<PartyContext, object> s_concurrent = new();

    /// <summary>Switches the concurrent mode of this party's context on or off.</summary>
    public static void RunConcurrently(PartyContext ctx, bool concurrent)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (concurrent) s_concurrent.AddOrUpdate(ctx, s_concurrent);
        else s_concurrent.Remove(ctx);
    }

    public static bool RunsConcurrently(PartyContext ctx) => s_concurrent.TryGetValue(ctx, out _);

    /// <summary>
    /// Runs this party's part of the OT batch the server sends and of the one the client sends: in that order on
    /// this thread, or both at once. A failure in one fails the channel, so the other cannot wait forever.
    /// </summary>
    internal static void Run(PartyContext ctx, Action serverSends, Action clientSends)
    {
        if (!RunsConcurrently(ctx))
        {
            serverSends();
            clientSends();
            return;
        }
        var other = Task.Run(() => Guarded(ctx, clientSends));
        try
        {
            Guarded(ctx, serverSends);
        }
        finally
        {
            // Wait even when this direction failed: the channel is failed, so the other ends promptly.
            try { other.Wait(); }
            catch (AggregateException) when (other.IsFaulted) { }
        }
        if (other.IsFaulted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(other.Exception!.InnerException!).Throw();
    }

    private static void Guarded(PartyContext ctx, Action direction)
    {
        try
        {
            direction();
        }
        catch (Exception e)
        {
            ctx.Channel.Fail($"{ctx.Role.ToString().ToLowerInvariant()} failed: {e.Message}");
            throw;
        }
    }
}
