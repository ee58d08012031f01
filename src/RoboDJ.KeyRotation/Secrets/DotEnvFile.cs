using System.Text;
using System.Text.RegularExpressions;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// A .env file as docker compose and python-dotenv read it, kept as its original text so that an edit changes one value
/// and no other byte (comments, order, quoting, line endings, BOM, trailing newline).
/// The grammar follows python-dotenv's parser: optional `export `, a bare or single-quoted key, `=`, then a single-quoted,
/// double-quoted (with escapes, may span lines) or unquoted value whose ` #` starts a comment. Duplicate keys: the last wins.
/// Values are literal: `${VAR}` interpolation is not applied (both readers would apply it; the keys we write never contain `$`).
/// Instances are immutable; <see cref="With(string, string)"/> returns the edited file.
/// </summary>
public sealed partial class DotEnvFile
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    DotEnvFile(string source, string text, bool hasBom, IReadOnlyList<DotEnvEntry> entries, IReadOnlyList<DotEnvWarning> skipped, IReadOnlyList<DotEnvStatement> statements)
    {
        Source = source;
        Text = text;
        HasBom = hasBom;
        Entries = entries;
        SkippedLines = skipped;
        Statements = statements;
    }

    /// <summary>The path or name shown in errors.</summary>
    public string Source { get; }
    /// <summary>The text after the BOM, exactly as in the file.</summary>
    public string Text { get; }
    public bool HasBom { get; }
    public IReadOnlyList<DotEnvEntry> Entries { get; }
    /// <summary>Statements python-dotenv would skip with a warning; neither reader sees their keys.</summary>
    public IReadOnlyList<DotEnvWarning> SkippedLines { get; }
    public IReadOnlyList<DotEnvStatement> Statements { get; }

    /// <summary>
    /// The key the app does not see because the BOM is glued to it: python-dotenv keeps a BOM as part of the first key
    /// ("\ufeffROBODJ_SECRET_KEY"). Null when there is no BOM or it comes before a comment or a blank line.
    /// </summary>
    public string? KeyHiddenByBom => HasBom && Entries.FirstOrDefault() is { Line: 1 } first ? first.Key : null;

    /// <summary>What an operator should fix although both readers get past it: skipped lines, a BOM, a key assigned twice.</summary>
    public IReadOnlyList<DotEnvWarning> Warnings
    {
        get
        {
            var warnings = new List<DotEnvWarning>(SkippedLines);
            if (HasBom)
                warnings.Add(new DotEnvWarning(Source, 1, "the file starts with a UTF-8 byte-order mark, which python-dotenv keeps as part of the first key " +
                    $"({Entries.FirstOrDefault()?.Key ?? "none"}), so the app may not see that key", "save the file as UTF-8 without a BOM"));
            foreach (var group in Entries.GroupBy(e => e.Key).Where(g => g.Count() > 1))
            {
                var lines = group.Select(e => e.Line).ToList();
                warnings.Add(new DotEnvWarning(Source, lines[0], $"{group.Key} is assigned on lines {string.Join(", ", lines)}; both readers use line {lines[^1]}, " +
                    "and the earlier lines keep stale values", $"delete the earlier {group.Key} line(s)"));
            }
            return warnings.OrderBy(w => w.Line).ToList();
        }
    }

    /// <summary>Lines that are a commented-out assignment of <paramref name="key"/>, e.g. an old key kept "just in case".</summary>
    public IReadOnlyList<int> CommentedOutAssignments(string key)
    {
        var found = new List<int>();
        var lines = Text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (CommentedAssignment().Match(lines[i]) is { Success: true } m && m.Groups[1].Value == key) found.Add(i + 1);
        return found;
    }

    /// <summary>The file's own line ending (its first one), so that an appended line matches; LF for a one-line file.</summary>
    public string LineEnding
    {
        get
        {
            var i = Text.IndexOfAny(['\r', '\n']);
            if (i < 0) return "\n";
            return Text[i] == '\n' ? "\n" : i + 1 < Text.Length && Text[i + 1] == '\n' ? "\r\n" : "\r";
        }
    }

    /// <summary>
    /// The deployment's live .env, through the one input reader (a regular file of at most
    /// <see cref="Config.InputLimits.DotEnvBytes"/>). Refused when the app cannot read it as intended: a byte that is not
    /// UTF-8, or a BOM glued to the first key, which the app then does not see.
    /// </summary>
    public static DotEnvFile Load(string path)
    {
        var bytes = InputFile.ReadAllBytes(path, Config.InputLimits.DotEnvBytes,
            fix: $"check --deployment-root, or restore .env as a regular file from the last snapshot ({Snapshots.SnapshotStore.DotEnvCopy})");
        var file = FromBytes(bytes, path);
        if (file.KeyHiddenByBom is { } hidden)
            throw new DotEnvSyntaxException(path, 1, $"the file starts with a UTF-8 byte-order mark, which python-dotenv keeps as part of the first key, so the app does not see {hidden} " +
                "(it reads '\\ufeff" + hidden + "'); rotating would change a key the app never loaded", "save the file as UTF-8 without a BOM (`sed -i '1s/^\\xEF\\xBB\\xBF//' .env`), then run again");
        return file;
    }

    /// <summary>A .env's bytes (a snapshot's copy, say); strictly UTF-8, with a bad byte's real line and column.</summary>
    public static DotEnvFile FromBytes(ReadOnlySpan<byte> bytes, string source)
    {
        var hasBom = bytes.StartsWith(Bom);
        var body = hasBom ? bytes[3..] : bytes;
        var text = Utf8Text.Decode(body, (line, column) => new DotEnvSyntaxException(source, line,
            $"column {column}: a byte that is not UTF-8, which the app's python-dotenv cannot read", "save the file as UTF-8 (an editor's \"save with encoding\", or `iconv -t UTF-8`)"),
            universalNewlines: true);
        return Parse(text, source, hasBom);
    }

    public static DotEnvFile Parse(string text, string source, bool hasBom = false)
    {
        var parser = new DotEnvParser(text, source);
        var entries = parser.ParseAll();
        return new(source, text, hasBom, entries, parser.Skipped, parser.Statements);
    }

    /// <summary>
    /// Why neither reader sees <paramref name="key"/> although a line assigns it: the line is inside a statement that
    /// starts earlier (a quote left open there runs on over the lines below) or that is skipped. Null when no line
    /// assigns it, or when it is read.
    /// </summary>
    public DotEnvWarning? WhyAbsent(string key)
    {
        if (Find(key) is not null) return null;
        var lines = Text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Assignment().Match(lines[i]) is not { Success: true } m || m.Groups[1].Value.Trim('\'') != key) continue;
            var line = i + 1;
            var statement = Statements.FirstOrDefault(s => s.FirstLine <= line && line <= s.LastLine);
            if (statement?.Skipped is { } skipped)
                return new DotEnvWarning(Source, statement.FirstLine, $"{key} on line {line} is not read: the statement that starts on line {statement.FirstLine} " +
                    $"runs to line {statement.LastLine} and python-dotenv skips it ({skipped.Problem.Split(';')[0]})", skipped.Fix);
            if (statement?.Entry is { } swallowing && statement.FirstLine < line)
                return new DotEnvWarning(Source, statement.FirstLine, $"{key} on line {line} is not read: the quoted value of {swallowing.Key} opens on line {statement.FirstLine} " +
                    $"and closes only on line {statement.LastLine}, so both readers take lines {statement.FirstLine}-{statement.LastLine} as that one value",
                    $"close the quote on line {statement.FirstLine}");
        }
        return null;
    }

    /// <summary>The last assignment of <paramref name="key"/>, which is the one both readers use.</summary>
    public DotEnvEntry? Find(string key)
    {
        for (var i = Entries.Count - 1; i >= 0; i--)
            if (Entries[i].Key == key) return Entries[i];
        return null;
    }

    public string? this[string key] => Find(key)?.Value;

    /// <summary>What the readers see: every key with its last value, in order of first appearance.</summary>
    public IReadOnlyDictionary<string, string?> Values
    {
        get
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var entry in Entries) values[entry.Key] = entry.Value;
            return values;
        }
    }

    public DotEnvFile With(string key, string value) => With([new KeyValuePair<string, string>(key, value)]);

    /// <summary>
    /// Sets each key's last assignment in place, keeping its quoting where the value allows; appends a missing key at the end
    /// in the file's line-ending style.
    /// </summary>
    public DotEnvFile With(IEnumerable<KeyValuePair<string, string>> changes)
    {
        var values = changes.ToList();
        var text = Text;
        foreach (var (key, value) in values)
        {
            if (!KeyPattern().IsMatch(key)) throw new ArgumentException($"'{key}' is not a name a .env file can hold", nameof(changes));
            var current = Parse(text, Source, HasBom);
            var entry = current.Find(key);
            if (entry is null)
            {
                var separator = text.Length == 0 || text[^1] is '\n' or '\r' ? "" : current.LineEnding;
                text = text + separator + key + "=" + Quote(value, '\0') + current.LineEnding;
            }
            else
            {
                var end = entry.ValueStart + entry.ValueLength;
                var written = entry.IsBare
                    ? "=" + Quote(value, '\0') + (end < text.Length && text[end] == '#' ? " " : "")
                    : Quote(value, entry.Quote);
                text = string.Concat(text.AsSpan(0, entry.ValueStart), written, text.AsSpan(entry.ValueStart + entry.ValueLength));
            }
        }
        var edited = Parse(text, Source, HasBom);
        foreach (var (key, value) in values)
            if (edited[key] != value) throw new InvalidOperationException($"{Source}: writing {key} would not read back as written; nothing was written");
        return edited;
    }

    public byte[] ToBytes()
    {
        var body = StrictUtf8.GetBytes(Text);
        return HasBom ? [.. Bom, .. body] : body;
    }

    /// <summary>Writes atomically, keeping the file's mode.</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, ToBytes());

    /// <summary>Writes the value so that both readers read it back unchanged, in the line's own quoting style when that is safe.</summary>
    static string Quote(string value, char style)
    {
        var plain = PlainValue().IsMatch(value);
        if (style == '"')
            return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";
        if (style == '\'' || !plain)
        {
            if (value.Contains('\'') || value.Contains('\\') || value.Contains('\n') || value.Contains('\r'))
                return Quote(value, '"');
            return "'" + value + "'";
        }
        return value;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^\s*#+\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*=")]
    private static partial Regex CommentedAssignment();

    [GeneratedRegex(@"^\s*(?:export\s+)?('?[A-Za-z_][A-Za-z0-9_.\-]*'?)\s*=")]
    private static partial Regex Assignment();

    // Characters that need no quotes in either reader: no whitespace, '#', quotes, '$' or backslash.
    [GeneratedRegex(@"^[A-Za-z0-9_\-=.:/+@,%]*$")]
    private static partial Regex PlainValue();
}
