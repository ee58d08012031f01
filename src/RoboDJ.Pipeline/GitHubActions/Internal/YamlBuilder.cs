using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline.CI.GitHubActions.Internal;

/// <summary>
/// Writes the small block-style YAML subset a workflow needs, with two-space indents and LF line ends, so that the same
/// attributes give the same bytes on every machine (the drift test compares bytes).
/// </summary>
internal sealed partial class YamlBuilder
{
    readonly StringBuilder text = new();
    int depth;
    bool pendingDash;

    public YamlBuilder Comment(string line) => Line(line.Length == 0 ? "#" : "# " + line);

    public YamlBuilder Blank()
    {
        text.Append('\n');
        return this;
    }

    public YamlBuilder Scalar(string key, string value) => Line($"{key}: {Quote(value)}");

    /// <summary><c>uses: owner/action@&lt;commit&gt; # &lt;tag&gt;</c>.</summary>
    public YamlBuilder Uses((string Action, string Commit, string Tag) pinned) => Line($"uses: {pinned.Action}@{pinned.Commit} # {pinned.Tag}");

    public YamlBuilder Literal(string key, bool value) => Line($"{key}: {(value ? "true" : "false")}");

    public YamlBuilder Literal(string key, int value) => Line($"{key}: {value.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A key with no value, which GitHub reads as "this event with its defaults".</summary>
    public YamlBuilder Empty(string key) => Line(key + ":");

    public YamlBuilder Sequence(string key, IEnumerable<string> items)
    {
        Line(key + ":");
        depth++;
        foreach (var item in items) Line("- " + Quote(item));
        depth--;
        return this;
    }

    /// <summary>A literal block (<c>|</c>): the lines are kept as they are, which is what a shell script needs.</summary>
    public YamlBuilder Block(string key, IEnumerable<string> lines)
    {
        Line(key + ": |");
        depth++;
        foreach (var line in lines)
        {
            if (line.Contains('\n')) throw new ArgumentException("A block line must not hold a line break.", nameof(lines));
            Line(line);
        }
        depth--;
        return this;
    }

    public IDisposable Map(string key)
    {
        Line(key + ":");
        depth++;
        return new Scope(() => depth--);
    }

    /// <summary>A sequence item holding a mapping: its first key goes on the dash line.</summary>
    public IDisposable Item()
    {
        depth++;
        pendingDash = true;
        return new Scope(() => { depth--; pendingDash = false; });
    }

    public override string ToString() => text.ToString();

    YamlBuilder Line(string content)
    {
        if (pendingDash)
        {
            text.Append(' ', (depth - 1) * 2).Append("- ");
            pendingDash = false;
        }
        else
        {
            text.Append(' ', depth * 2);
        }
        text.Append(content).Append('\n');
        return this;
    }

    /// <summary>Plain when YAML would read the text back as the same string, else single-quoted.</summary>
    public static string Quote(string value)
    {
        if (value.Contains('\n') || value.Contains('\r')) throw new ArgumentException("A scalar must not hold a line break; use Block.", nameof(value));
        return NeedsQuotes(value) ? "'" + value.Replace("'", "''") + "'" : value;
    }

    static bool NeedsQuotes(string value) =>
        value.Length == 0
        || value != value.Trim()
        || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0])
        || value.Contains(": ") || value.EndsWith(':') || value.Contains(" #") || value.Contains('\t')
        || ReservedWord().IsMatch(value)
        || NumberLike().IsMatch(value);

    [GeneratedRegex("^(true|false|yes|no|y|n|on|off|null|~)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();

    [GeneratedRegex(@"^[-+]?(\.?[0-9]|0x|0o|\.inf|\.nan)", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();

    sealed class Scope(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }
}
