using System.Text;

namespace CoPriv.Pbm;

/// <summary>
/// A small line editor on <see cref="Console.ReadKey(bool)"/> for pbm's prompt: editing keys (left, right, home,
/// end, backspace, delete, Ctrl-U), history (up, down) and TAB completion of the word under the cursor from
/// candidates the caller supplies. Ctrl-C clears the line, Ctrl-D on an empty line ends input. Without a terminal
/// (input redirected) it reads plain lines.
/// <para>
/// The terminal is the editor's from <see cref="TakeTerminal"/> on: .NET leaves it in its cooked mode (echo, line
/// editing, Ctrl-C a signal) until the first key is read, so keys typed before that would be echoed and edited by the
/// terminal (its erase and kill keys act, Ctrl-C kills pbm) instead of by the editor. Between lines — while a command
/// runs — Ctrl-C is a signal again, which ends the command.
/// </para>
/// </summary>
internal sealed class LineEditor(Func<string, IReadOnlyList<string>> candidates)
{
    private readonly List<string> _history = [];
    private bool? _controlCIsInputBetweenLines;

    public void Remember(string line)
    {
        if (line.Length > 0 && (_history.Count == 0 || _history[^1] != line)) _history.Add(line);
    }

    /// <summary>
    /// Puts the terminal in the editor's mode now (no echo, no line editing, Ctrl-C a key): call it before telling the
    /// user that the prompt is ready, so that what they type from then on reaches the editor whenever it arrives.
    /// </summary>
    public void TakeTerminal()
    {
        if (Console.IsInputRedirected) return;
        _controlCIsInputBetweenLines ??= Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
    }

    /// <summary>The next line, or null at the end of input.</summary>
    public string? ReadLine(string prompt)
    {
        Console.Out.Write(prompt);
        Console.Out.Flush();
        if (Console.IsInputRedirected) return Console.In.ReadLine();

        var line = new StringBuilder();
        int cursor = 0, recalled = _history.Count;
        TakeTerminal();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                bool control = (key.Modifiers & ConsoleModifiers.Control) != 0;
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        Console.Out.WriteLine();
                        return line.ToString();
                    case ConsoleKey.D when control:
                        if (line.Length == 0)
                        {
                            Console.Out.WriteLine();
                            return null;
                        }
                        break;
                    case ConsoleKey.C when control:
                        Console.Out.WriteLine("^C");
                        line.Clear();
                        cursor = 0;
                        Console.Out.Write(prompt);
                        break;
                    case ConsoleKey.U when control:
                        line.Remove(0, cursor);
                        cursor = 0;
                        break;
                    case ConsoleKey.A when control:
                    case ConsoleKey.Home:
                        cursor = 0;
                        break;
                    case ConsoleKey.E when control:
                    case ConsoleKey.End:
                        cursor = line.Length;
                        break;
                    case ConsoleKey.LeftArrow:
                        cursor = Math.Max(0, cursor - 1);
                        break;
                    case ConsoleKey.RightArrow:
                        cursor = Math.Min(line.Length, cursor + 1);
                        break;
                    case ConsoleKey.Backspace:
                        if (cursor > 0) line.Remove(--cursor, 1);
                        break;
                    case ConsoleKey.Delete:
                        if (cursor < line.Length) line.Remove(cursor, 1);
                        break;
                    case ConsoleKey.UpArrow when recalled > 0:
                        Recall(line, _history[--recalled], ref cursor);
                        break;
                    case ConsoleKey.DownArrow when recalled < _history.Count:
                        Recall(line, ++recalled == _history.Count ? "" : _history[recalled], ref cursor);
                        break;
                    case ConsoleKey.Tab:
                        Complete(prompt, line, ref cursor);
                        break;
                    default:
                        if (key.KeyChar >= ' ' && !control) line.Insert(cursor++, key.KeyChar);
                        break;
                }
                Redraw(prompt, line, cursor);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = _controlCIsInputBetweenLines!.Value;
        }
    }

    private static void Recall(StringBuilder line, string text, ref int cursor)
    {
        line.Clear().Append(text);
        cursor = line.Length;
    }

    /// <summary>Completes the word before the cursor: fully when one candidate fits, else to their common prefix, listing them when that adds nothing.</summary>
    private void Complete(string prompt, StringBuilder line, ref int cursor)
    {
        var before = line.ToString(0, cursor);
        int start = before.LastIndexOf(' ') + 1;
        var word = before[start..];
        var matches = candidates(before).Where(c => c.StartsWith(word, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (matches.Count == 0) return;
        var common = matches.Aggregate((a, b) => a[..CommonLength(a, b)]);
        var insert = matches.Count == 1 ? matches[0][word.Length..] + " " : common[word.Length..];
        if (insert.Length > 0)
        {
            line.Insert(cursor, insert);
            cursor += insert.Length;
            return;
        }
        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Join("  ", matches));
        Console.Out.Write(prompt);
    }

    private static int CommonLength(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }

    private static void Redraw(string prompt, StringBuilder line, int cursor)
    {
        var text = new StringBuilder("\r").Append(prompt).Append(line).Append("\u001b[K");
        int back = line.Length - cursor;
        if (back > 0) text.Append($"\u001b[{back}D");
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
    }
}
