using System.Xml.Linq;

namespace CoPriv.Inference.Tests;

/// <summary>
/// The rooms' dependencies point one way (docs/ARCHITECTURE.md): Protocols ← Models ← Inference ← Actors ← Sim ← Cli,
/// Network on Protocols, and Cli on the harnesses of `copriv bench` (bench/CoPriv.Bench). A project reference outside
/// this table fails here, before it can tangle the rooms. A room under src/ is named by its folder, anything else by
/// its path from the repository root.
/// </summary>
public class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Protocols"] = [],
        ["Models"] = ["Protocols"],
        ["Inference"] = ["Protocols", "Models"],
        ["Optimize"] = ["Models"],
        ["Network"] = ["Protocols"],
        ["Actors"] = ["Protocols", "Inference", "Network"],
        ["Sim"] = ["Actors"],
        ["Cli"] = ["Sim", "Optimize", "bench/CoPriv.Bench"],
        ["Pbm"] = ["Actors"],
    };

    public static TheoryData<string> Rooms() => new(Directory.GetDirectories(Path.Combine(RepositoryRoot(), "src")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Rooms))]
    public void Each_room_references_only_the_rooms_below_it(string room)
    {
        Assert.True(Allowed.ContainsKey(room), $"src/{room} is a new room: add it to the table and to docs/ARCHITECTURE.md");
        var project = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", room), "*.csproj").Single();
        var references = XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => RoomOf(Path.GetDirectoryName(project)!, r.Attribute("Include")!.Value))
            .Order().ToArray();
        Assert.Equal(Allowed[room].Order().ToArray(), references);
    }

    private static string RoomOf(string projectDirectory, string include)
    {
        var referenced = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(projectDirectory, include.Replace('\\', '/'))))!;
        var fromRoot = Path.GetRelativePath(RepositoryRoot(), referenced).Replace('\\', '/');
        return fromRoot.StartsWith("src/", StringComparison.Ordinal) ? fromRoot["src/".Length..] : fromRoot;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CoPriv.sln"))) return dir.FullName;
        throw new InvalidOperationException("CoPriv.sln not found above the test's directory");
    }
}
