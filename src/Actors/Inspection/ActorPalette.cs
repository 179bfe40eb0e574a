using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>The <c>actor</c> palette: the live actor hierarchy, walked level by level from the guardians or a path.</summary>
internal sealed class ActorPalette(ActorSystem system)
{
    private const int DefaultDepth = 8;

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("actor", "hierarchy", "[path] [-d depth] [--system]", "the live actors under /user (and /system with --system), or under a path", 0, 1, Hierarchy)
        {
            ValueOptions = ["-d"], Flags = ["--system"],
        },
    ];

    private async Task Hierarchy(InspectorCall call)
    {
        int depth = call.IntOption("-d", DefaultDepth, 1, 32);
        IReadOnlyList<string> roots = call.Arguments.Count == 1
            ? ["/" + call.Arguments[0].Trim('/')]
            : call.Flag("--system") ? ["/user", "/system"] : ["/user"];
        var probe = system.ActorOf(ActorHierarchyProbe.Props(roots, depth));
        var listed = await probe.Ask<ActorHierarchyListed>(ListActorHierarchy.Instance, TimeSpan.FromSeconds(15), call.Cancellation)
            .ConfigureAwait(false);
        if (listed.Paths.Count == 0) throw InspectorCommandException.Failed($"no actor at {string.Join(", ", roots)}");
        await call.AnswerAsync(listed.Paths, () => StatusText.Hierarchy(listed.Paths)).ConfigureAwait(false);
    }
}
