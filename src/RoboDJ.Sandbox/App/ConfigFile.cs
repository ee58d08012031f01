using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Sandbox.App;

/// <summary>A JSON file under config/ with the encrypted fields found in it, at any depth.</summary>
sealed class ConfigFile
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    ConfigFile(string fullPath, string relativePath, JsonNode? document, IReadOnlyList<EncryptedField> fields)
    {
        FullPath = fullPath;
        RelativePath = relativePath;
        Document = document;
        Fields = fields;
    }

    public string FullPath { get; }
    /// <summary>Relative to the deployment root with '/', e.g. config/integrations.json.</summary>
    public string RelativePath { get; }
    public JsonNode? Document { get; }
    public IReadOnlyList<EncryptedField> Fields { get; }

    /// <summary>Parses the file; a file that is not JSON throws <see cref="JsonException"/> (with its line).</summary>
    public static ConfigFile Load(string fullPath, string root)
    {
        var document = JsonNode.Parse(File.ReadAllBytes(fullPath), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        var fields = new List<EncryptedField>();
        if (document is not null) Walk(document, "$", fields);
        return new ConfigFile(fullPath, Path.GetRelativePath(root, fullPath).Replace('\\', '/'), document, fields);
    }

    public void Save() =>
        AtomicFile.WriteAllText(FullPath, (Document?.ToJsonString(WriteOptions) ?? "null") + "\n");

    static void Walk(JsonNode node, string path, List<EncryptedField> fields)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                    Visit(child, obj, name, -1, path + Member(name), fields);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    Visit(array[i], array, null, i, $"{path}[{i}]", fields);
                break;
        }
    }

    static void Visit(JsonNode? child, JsonNode parent, string? name, int index, string path, List<EncryptedField> fields)
    {
        if (child is null) return;
        if (child is JsonValue value && value.TryGetValue<string>(out var text))
        {
            var prefixed = text.StartsWith(EncryptedField.Prefix, StringComparison.Ordinal);
            var token = prefixed ? text[EncryptedField.Prefix.Length..] : text;
            if (FernetToken.Inspect(token) is not null)
                fields.Add(new EncryptedField(parent, name, index, path, token, prefixed));
            return;
        }
        Walk(child, path, fields);
    }

    static string Member(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + name : $"['{name.Replace("'", "\\'")}']";

    /// <summary>Where the JSON broke, never what the file holds there (it may be a secret).</summary>
    public static string DescribeParseError(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "unreadable";
}
