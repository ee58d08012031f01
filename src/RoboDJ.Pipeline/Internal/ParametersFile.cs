using System.Text.Json;

namespace RoboDJ.Pipeline.Internal;

/// <summary>A <c>.nuke/parameters[.profile].json</c>: member name (any case) to value, read as text.</summary>
sealed class ParametersFile
{
    ParametersFile(string path, Dictionary<string, (string Key, List<string> Values)> values)
    {
        Path = path;
        Values = values;
    }

    public string Path { get; }
    /// <summary>Keyed by <see cref="Names.Normalize"/>.</summary>
    public Dictionary<string, (string Key, List<string> Values)> Values { get; }

    public static ParametersFile Read(string path, string displayPath)
    {
        JsonDocument document;
        // A BOM (Windows editors write one) is not JSON, and the reader would refuse it as "'0xEF' is an invalid start".
        var bytes = ReadBytes(path, displayPath) is var all && all.AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble) ? all[System.Text.Encoding.UTF8.Preamble.Length..] : all;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BuildInputException($"{displayPath}{Where(bytes, e)}: not valid JSON: {FirstSentence(e.Message)}. Fix: {FixFor(e.Message)}.", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BuildInputException($"{displayPath}: expected a JSON object of parameter names to values, e.g. {{ \"Env\": \"staging\" }}.");
            var values = new Dictionary<string, (string, List<string>)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue; // "$schema"
                values[Names.Normalize(property.Name)] = (property.Name, ToText(property.Value, displayPath, property.Name));
            }
            return new ParametersFile(displayPath, values);
        }
    }

    const long MaxBytes = 1 << 20;

    /// <summary>Through the one input reader: a FIFO there held the build before its first line; a folder was passed over in silence.</summary>
    static byte[] ReadBytes(string path, string displayPath)
    {
        try { return IO.InputFile.ReadAllBytes(path, MaxBytes, fix: $"make {displayPath} a JSON file of parameter names to values, or remove it"); }
        catch (IO.InputFileException e) { throw new BuildInputException($"{displayPath}: {e.Message}", e); }
    }

    static List<string> ToText(JsonElement value, string file, string key) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(v => ToText(v, file, key)).ToList(),
        JsonValueKind.Null => [],
        _ => throw new BuildInputException($"{file}, $.{key}: expected a string, number, boolean or array, not an object."),
    };

    /// <summary>
    /// ", line 3, column 10", both counted from 1 as an editor shows them. The reader counts lines from 0 and bytes, not
    /// characters, within the line; its own message repeats them that way, so only this form is shown.
    /// </summary>
    static string Where(byte[] bytes, JsonException e)
    {
        if (e.LineNumber is not { } line) return "";
        var start = 0;
        for (var seen = 0L; seen < line && start < bytes.Length; start++)
            if (bytes[start] == (byte)'\n') seen++;
        var length = (int)Math.Clamp(e.BytePositionInLine ?? 0, 0, bytes.Length - start);
        return $", line {line + 1}, column {System.Text.Encoding.UTF8.GetCharCount(bytes, start, length) + 1}";
    }

    /// <summary>The reader's own words, without its position (given once, by <see cref="Where"/>).</summary>
    static string FirstSentence(string message)
    {
        var cut = new[] { " LineNumber:", " Path:" }.Select(m => message.IndexOf(m, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(message.Length).Min();
        return message[..cut].Trim().TrimEnd('.');
    }

    static string FixFor(string message) =>
        message.Contains("invalid start of a value", StringComparison.Ordinal)
            ? "put a text value in double quotes, e.g. \"Env\": \"staging\" (numbers, true, false and null go without quotes)"
        : message.Contains("invalid start of a property name", StringComparison.Ordinal)
            ? "write each name in double quotes, e.g. \"Env\", with one comma between two entries"
        : message.Contains("Expected a ':'", StringComparison.Ordinal)
            ? "put a colon between a name and its value, e.g. \"Env\": \"staging\""
        : message.Contains("Expected either ','", StringComparison.Ordinal) || message.Contains("invalid after a value", StringComparison.Ordinal)
            ? "put a comma between two entries, and close the object with }"
        : message.Contains("depth", StringComparison.OrdinalIgnoreCase) || message.Contains("should be closed", StringComparison.Ordinal)
            ? "close every { with } and every [ with ]; the reader reached the end of the file inside one"
        : "correct the JSON at that place: one object of names in double quotes to values, e.g. { \"Env\": \"staging\" } (// comments are allowed)";
}
