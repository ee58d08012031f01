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
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } n ? $", line {n + 1}" : "";
            throw new BuildInputException($"{displayPath}{line}: not valid JSON ({FirstSentence(e.Message)}). Fix the file or delete it.", e);
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

    static List<string> ToText(JsonElement value, string file, string key) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(v => ToText(v, file, key)).ToList(),
        JsonValueKind.Null => [],
        _ => throw new BuildInputException($"{file}, $.{key}: expected a string, number, boolean or array, not an object."),
    };

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
