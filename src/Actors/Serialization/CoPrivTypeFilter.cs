using Hyperion;

namespace CoPriv.Actors.Serialization;

/// <summary>
/// What <see cref="HyperionMessageSerializer"/> may instantiate from the wire: our own types (namespace
/// <c>CoPriv.</c>, and the read-only collections the compiler generates inside our assemblies for collection
/// expressions) and the few framework types our messages are made of (strings, numbers, time spans, arrays, lists
/// and dictionaries of those). Every type a manifest names — generic arguments and array elements included — must be
/// on the list, so a peer cannot make this process build an arbitrary type (a deserialization gadget). A manifest
/// that does not parse is refused.
/// </summary>
public sealed class CoPrivTypeFilter : ITypeFilter
{
    public static CoPrivTypeFilter Instance { get; } = new();

    private static readonly HashSet<string> Framework = new(StringComparer.Ordinal)
    {
        "System.String", "System.Boolean", "System.Byte", "System.Int32", "System.Int64", "System.UInt32", "System.UInt64",
        "System.Double", "System.TimeSpan", "System.DateTimeOffset", "System.Guid", "System.Nullable`1", "System.Object",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.DictionaryEntry",
        "System.Collections.ObjectModel.ReadOnlyCollection`1",
    };

    public bool IsAllowed(string typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName)) return false;
        int position = 0;
        return Type(typeName, ref position) && position == typeName.Length;
    }

    /// <summary>
    /// Reads one assembly-qualified type name from <paramref name="position"/> — <c>Name`n[[Arg, Asm],[Arg, Asm]][],
    /// Assembly, Version=…</c> or Hyperion's short <c>Name, Assembly,%core%</c> — and says whether it and every type it
    /// names are allowed.
    /// </summary>
    private static bool Type(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && text[position] is not ('[' or ',' or ']')) position++;
        string name = text[start..position].Trim();
        bool allowed = name.Length > 0;

        if (At(text, position, "[["))
        {
            position++;
            while (true)
            {
                if (!At(text, position, "[")) return false;
                position++;
                allowed &= Type(text, ref position);
                if (!At(text, position, "]")) return false;
                position++;
                if (At(text, position, ",")) { position++; continue; }
                if (At(text, position, "]")) { position++; break; }
                return false;
            }
        }
        while (At(text, position, "[]") || At(text, position, "[,"))
        {
            int end = text.IndexOf(']', position);
            if (end < 0) return false;
            position = end + 1;
        }

        string assembly = "";
        if (At(text, position, ","))
        {
            position++;
            int assemblyStart = position;
            while (position < text.Length && text[position] is not (',' or ']')) position++;
            assembly = text[assemblyStart..position].Trim();
            // Version, Culture, PublicKeyToken or Hyperion's %core% marker: nothing that names a type.
            while (position < text.Length && text[position] != ']') position++;
        }
        return allowed && IsAllowedName(name, assembly);
    }

    private static bool At(string text, int position, string expected) =>
        position + expected.Length <= text.Length && string.CompareOrdinal(text, position, expected, 0, expected.Length) == 0;

    private static bool IsAllowedName(string name, string assembly) =>
        name.StartsWith("CoPriv.", StringComparison.Ordinal)
        || (name.StartsWith("<>z__ReadOnly", StringComparison.Ordinal) && assembly.StartsWith("CoPriv.", StringComparison.Ordinal))
        || Framework.Contains(name);
}
