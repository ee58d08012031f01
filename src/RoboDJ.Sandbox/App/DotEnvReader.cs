using System.Text;

namespace RoboDJ.Sandbox.App;

/// <summary>
/// Reads .env the way python-dotenv's parser does, for the subset a RoboDJ deployment uses: KEY=value, `export `,
/// comments, blank lines, CRLF/LF, single quotes (only \' and \\ unescaped), double quotes with escapes,
/// unquoted values with ` #` comments, duplicate keys (last wins). A line without '=' sets nothing, as in python-dotenv.
/// Not covered: ${VAR} interpolation and quoted values spanning lines.
/// A UTF-8 BOM is NOT stripped, because python-dotenv does not strip it either: the first key then carries U+FEFF and
/// the real app would not see that variable. The sandbox reproduces that pitfall instead of hiding it.
/// </summary>
static class DotEnvReader
{
    /// <summary>Decodes without BOM detection, so a BOM stays in the text as python-dotenv leaves it.</summary>
    public static Dictionary<string, string> ReadFile(string path) =>
        File.Exists(path) ? Parse(Encoding.UTF8.GetString(File.ReadAllBytes(path))) : new(StringComparer.Ordinal);

    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            if (key.Length >= 2 && key[0] is '\'' or '"' && key[^1] == key[0]) key = key[1..^1];
            values[key] = ParseValue(line[(eq + 1)..].TrimStart(' ', '\t'));
        }
        return values;
    }

    static string ParseValue(string text)
    {
        if (text.Length > 0 && text[0] is '\'' or '"')
        {
            var quote = text[0];
            var sb = new StringBuilder();
            for (var i = 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == quote) return sb.ToString();
                if (c == '\\' && i + 1 < text.Length)
                {
                    var next = text[i + 1];
                    var decoded = quote == '\'' ? SingleQuotedEscape(next) : DoubleQuotedEscape(next);
                    if (decoded is not null) { sb.Append(decoded.Value); i++; continue; }
                }
                sb.Append(c);
            }
            // No closing quote: python-dotenv then reads the line as an unquoted value.
        }
        var hash = IndexOfInlineComment(text);
        return (hash >= 0 ? text[..hash] : text).TrimEnd(' ', '\t');
    }

    static int IndexOfInlineComment(string text)
    {
        for (var i = 1; i < text.Length; i++)
            if (text[i] == '#' && text[i - 1] is ' ' or '\t') return i;
        return text.StartsWith('#') ? 0 : -1;
    }

    static char? SingleQuotedEscape(char c) => c is '\\' or '\'' ? c : null;

    static char? DoubleQuotedEscape(char c) => c switch
    {
        '\\' or '\'' or '"' => c,
        'a' => '\a', 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', 'v' => '\v',
        _ => null,
    };
}
