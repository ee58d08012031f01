using System.Text.Json.Nodes;

namespace RoboDJ.Sandbox.App;

/// <summary>One encrypted field: a JSON string under config/ that is a Fernet token, maybe with an `enc:` prefix.</summary>
sealed class EncryptedField(JsonNode parent, string? propertyName, int index, string path, string token, bool prefixed)
{
    public const string Prefix = "enc:";

    /// <summary>JSON path inside the file, e.g. $.integrations.icecast.password or $.outputs[1].stream_key.</summary>
    public string Path { get; } = path;
    public string Token { get; } = token;
    public bool Prefixed { get; } = prefixed;

    /// <summary>Replaces the token in the parsed document, keeping the `enc:` prefix when there was one.</summary>
    public void Replace(string newToken)
    {
        var value = JsonValue.Create((Prefixed ? Prefix : "") + newToken);
        if (propertyName is not null) parent.AsObject()[propertyName] = value;
        else parent.AsArray()[index] = value;
    }
}
