using System.Text;
using System.Text.RegularExpressions;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// A port of python-dotenv's statement reader (dotenv/parser.py), so that we read what it reads. Where python-dotenv
/// warns and skips a statement (the rest of its line), this records a <see cref="DotEnvWarning"/> and skips the same text.
/// </summary>
sealed partial class DotEnvParser(string text, string source)
{
    int position;
    int[]? lineStarts;

    public List<DotEnvWarning> Skipped { get; } = [];
    /// <summary>Every statement with the lines it spans, in order: a quoted value may run over several lines.</summary>
    public List<DotEnvStatement> Statements { get; } = [];

    public List<DotEnvEntry> ParseAll()
    {
        var entries = new List<DotEnvEntry>();
        while (position < text.Length)
        {
            Skip(MultilineWhitespace());
            if (position >= text.Length) break;
            var start = position;
            try
            {
                var entry = ParseStatement();
                if (entry is not null) entries.Add(entry);
                Statements.Add(new DotEnvStatement(LineOf(start), LastLineOf(start), entry, null));
            }
            catch (DotEnvSyntaxException e)
            {
                var skipped = new DotEnvWarning(source, e.Line, e.Problem + "; python-dotenv skips this line with a warning, so the app does not see it", e.Fix);
                Skipped.Add(skipped);
                Skip(RestOfLine());
                Statements.Add(new DotEnvStatement(LineOf(start), LastLineOf(start), null, skipped));
            }
        }
        return entries;
    }

    /// <summary>The line of the statement's last character (before its line break).</summary>
    int LastLineOf(int start)
    {
        var end = position;
        while (end > start && text[end - 1] is '\n' or '\r') end--;
        return LineOf(Math.Max(start, end - 1));
    }

    DotEnvEntry? ParseStatement()
    {
        var statementStart = position;
        Skip(Export());
        string? key;
        if (Peek() == '#') key = null;
        else if (Peek() == '\'')
            key = Expect(SingleQuotedKey(), statementStart, "a quoted key is not closed", "close the key with a single quote").Groups[1].Value;
        else
            key = Expect(UnquotedKey(), statementStart, "the line does not start with a variable name", "write NAME=value, or start a comment with '#'").Groups[1].Value;
        Skip(Whitespace());
        string? value = null;
        int valueStart = position, valueLength = 0;
        var quote = '\0';
        if (key is not null && Peek() == '=')
        {
            Skip(EqualSign());
            valueStart = position;
            (value, quote) = ReadValue(statementStart);
            valueLength = position - valueStart;
            if (quote == '\0')
            {
                // python-dotenv drops a ' #' comment and trailing blanks from an unquoted value.
                var m = InlineComment().Match(value);
                value = (m.Success ? value[..m.Index] : value).TrimEnd(PythonWhitespace);
                valueLength = value.Length;
            }
        }
        Skip(Comment());
        Expect(EndOfLine(), statementStart, "there is text after the value",
            quote == '\0' ? "put the value in quotes, or start the comment with ' #'" : "remove the text after the closing quote, or start it with ' #'");
        return key is null ? null : new DotEnvEntry(key, value, LineOf(statementStart), valueStart, valueLength, quote);
    }

    (string Value, char Quote) ReadValue(int statementStart)
    {
        switch (Peek())
        {
            case '\'':
                var single = Expect(SingleQuotedValue(), statementStart, "a single-quoted value is not closed", "add the closing single quote");
                return (SingleQuoteEscapes().Replace(Universal(single.Groups[1].Value), m => m.Value[1..]), '\'');
            case '"':
                var dbl = Expect(DoubleQuotedValue(), statementStart, "a double-quoted value is not closed", "add the closing double quote");
                return (DoubleQuoteEscapes().Replace(Universal(dbl.Groups[1].Value), m => Unescape(m.Value[1])), '"');
            case '\0' or '\n' or '\r':
                return ("", '\0');
            default:
                return (Read(UnquotedValue()).Groups[1].Value, '\0');
        }
    }

    // Python reads text files with universal newlines, so a line break inside quotes reads as LF.
    static string Universal(string s) => s.Contains('\r') ? s.Replace("\r\n", "\n").Replace('\r', '\n') : s;

    static string Unescape(char c) => c switch
    {
        'a' => "\a", 'b' => "\b", 'f' => "\f", 'n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\v",
        _ => c.ToString(),
    };

    static readonly char[] PythonWhitespace = [' ', '\t', '\n', '\r', '\f', '\v', '\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\u00a0', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\u1680'];

    char Peek() => position < text.Length ? text[position] : '\0';

    Match Read(Regex regex)
    {
        var m = regex.Match(text, position);
        position = m.Index + m.Length;
        return m;
    }

    void Skip(Regex regex) => Read(regex);

    Match Expect(Regex regex, int statementStart, string problem, string fix)
    {
        var m = regex.Match(text, position);
        if (!m.Success) throw new DotEnvSyntaxException(source, LineOf(statementStart), problem, fix);
        position = m.Index + m.Length;
        return m;
    }

    /// <summary>Lines as python-dotenv counts them (LF, CRLF or CR), by binary search over the line starts: linear in the file.</summary>
    int LineOf(int index)
    {
        lineStarts ??= LineStarts(text);
        var found = Array.BinarySearch(lineStarts, index);
        return found >= 0 ? found + 1 : ~found;
    }

    static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) starts.Add(i + 1);
        return [.. starts];
    }

    [GeneratedRegex(@"\G\s*")] private static partial Regex MultilineWhitespace();
    [GeneratedRegex(@"\G[^\S\r\n]*")] private static partial Regex Whitespace();
    [GeneratedRegex(@"\G(?:export[^\S\r\n]+)?")] private static partial Regex Export();
    [GeneratedRegex(@"\G'([^']+)'")] private static partial Regex SingleQuotedKey();
    [GeneratedRegex(@"\G([^=\#\s]+)")] private static partial Regex UnquotedKey();
    [GeneratedRegex(@"\G(=[^\S\r\n]*)")] private static partial Regex EqualSign();
    [GeneratedRegex(@"\G'((?:\\'|[^'])*)'")] private static partial Regex SingleQuotedValue();
    [GeneratedRegex(@"\G""((?:\\""|[^""])*)""")] private static partial Regex DoubleQuotedValue();
    [GeneratedRegex(@"\G([^\r\n]*)")] private static partial Regex UnquotedValue();
    [GeneratedRegex(@"\G(?:[^\S\r\n]*#[^\r\n]*)?")] private static partial Regex Comment();
    [GeneratedRegex(@"\G[^\S\r\n]*(?:\r\n|\n|\r|$)")] private static partial Regex EndOfLine();
    [GeneratedRegex(@"\G[^\r\n]*(?:\r\n|\n|\r)?")] private static partial Regex RestOfLine();
    [GeneratedRegex(@"\\[\\'""abfnrtv]")] private static partial Regex DoubleQuoteEscapes();
    [GeneratedRegex(@"\\[\\']")] private static partial Regex SingleQuoteEscapes();
    [GeneratedRegex(@"\s+#")] private static partial Regex InlineComment();
}
