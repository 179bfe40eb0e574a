using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>
/// A session that stays open until the test releases it: one step in which the client reports half done and waits
/// for <see cref="Release"/> (or cancellation), then sends one byte that the server waits for.
/// </summary>
internal sealed class HeldSession
{
    private readonly SemaphoreSlim _gate = new(0);

    public SessionPlan Plan() => new([new LayerStep("hold", context =>
    {
        var stream = context.Channel.Stream("hold");
        if (context.Role == PartyRole.Client)
        {
            context.ReportProgress(0.5);
            _gate.Wait(context.Cancellation);
            stream.Send([1]);
        }
        else stream.Receive(new byte[1]);
    })]);

    public void Release() => _gate.Release();
}
