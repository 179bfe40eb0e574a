namespace CoPriv.Inference.Sessions;

/// <summary>The naming of sessions and layers: one name serves as actor name, traffic-meter layer and report row.</summary>
public static class LayerNames
{
    /// <summary>
    /// The layer name of the step at 1-based <paramref name="position"/>, numbered from 00: an inference's setup step is
    /// <c>layer-00-setup</c>, so its engine layers keep the engine's own numbers (<c>layer-07-conv3x3</c>) in actor
    /// names, meters and reports alike.
    /// </summary>
    public static string ForStep(int position, string stepName) => $"layer-{position - 1:00}-{stepName}";

    /// <summary>The actor name of a session: <c>session-&lt;id&gt;</c>, the same at both parties.</summary>
    public static string ForSession(string sessionId) => $"session-{sessionId}";

    /// <summary>Returns the name when it is a valid step name (so also part of a valid actor name), else throws.</summary>
    public static string CheckStepName(string name) => Check(name, "step name");

    /// <summary>Returns the id when it is a valid session id, else throws.</summary>
    public static string CheckSessionId(string id) => Check(id, "session id");

    private static string Check(string name, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 64) throw new ArgumentException($"{what} '{name}' is longer than 64 characters");
        foreach (char c in name)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
                throw new ArgumentException($"{what} '{name}' may hold only a-z, 0-9, '-', '_' and '.'");
        return name;
    }
}
