using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>Finds the string values shaped like Fernet tokens (optionally "enc:"-prefixed) in one JSON document, with their JSON paths.</summary>
static class EncryptedFieldScanner
{
    public const string Prefix = "enc:";
    static readonly byte[] TokenStart = "gAAAAA"u8.ToArray();
    static readonly byte[] PrefixedStart = "enc:gAAAAA"u8.ToArray();

    /// <summary>Offset of the JSON text: a UTF-8 BOM is skipped, and kept by the rewrap.</summary>
    public static int BodyStart(ReadOnlySpan<byte> json) => json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;

    public static List<EncryptedField> Scan(byte[] json, string file)
    {
        var fields = new List<EncryptedField>();
        var start = BodyStart(json);
        var reader = new Utf8JsonReader(json.AsSpan(start));
        var stack = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        stack[^1].Property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (stack.Count > 0 && stack[^1].IsArray) stack[^1].Index++;
                        stack.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case JsonTokenType.String:
                        if (stack.Count > 0 && stack[^1].IsArray) stack[^1].Index++;
                        if (LooksEncrypted(ref reader, out var text))
                        {
                            var prefixed = text.StartsWith(Prefix, StringComparison.Ordinal);
                            var token = prefixed ? text[Prefix.Length..] : text;
                            if (FernetToken.Inspect(token) is not null)
                                fields.Add(new EncryptedField(PathOf(stack), token, prefixed, start + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length));
                        }
                        break;
                    default:
                        if (stack.Count > 0 && stack[^1].IsArray) stack[^1].Index++;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // The reader's own message can quote the offending text, which may be a plaintext secret: say where, not what.
            throw new ConfigJsonException(file, $"{(e.LineNumber ?? 0) + 1}", $"it is not valid JSON (column {(e.BytePositionInLine ?? 0) + 1})",
                "correct the JSON at that spot, or restore the file from the last snapshot");
        }
        return fields;
    }

    static bool LooksEncrypted(ref Utf8JsonReader reader, out string text)
    {
        text = "";
        if (!reader.ValueIsEscaped)
        {
            var raw = reader.ValueSpan;
            if (!raw.StartsWith(TokenStart) && !raw.StartsWith(PrefixedStart)) return false;
            text = Encoding.ASCII.GetString(raw);
            return true;
        }
        text = reader.GetString()!;
        return text.StartsWith("gAAAAA", StringComparison.Ordinal) || text.StartsWith("enc:gAAAAA", StringComparison.Ordinal);
    }

    static string PathOf(List<Frame> stack)
    {
        var path = new StringBuilder("$");
        foreach (var frame in stack)
        {
            if (frame.IsArray) path.Append('[').Append(frame.Index).Append(']');
            else if (frame.Property is { } name)
                path.Append(IsIdentifier(name) ? "." + name : "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']");
        }
        return path.ToString();
    }

    static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
    }
}
