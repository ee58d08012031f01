using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Config.Oracle;

/// <summary>One encrypted field as the whole-file scanner saw it: path, token text, and the raw content's byte range.</summary>
sealed record OracleField(string JsonPath, string Token, bool Prefixed, int ContentStart, int ContentLength);

/// <summary>
/// The scanner as it was before streaming (whole file in memory, one Utf8JsonReader, a path string per field), kept
/// unchanged as the oracle the streaming census and rewrap must agree with.
/// </summary>
static class WholeFileScanner
{
    public static List<OracleField> Scan(byte[] json)
    {
        var fields = new List<OracleField>();
        var start = json.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var reader = new Utf8JsonReader(json.AsSpan(start));
        var stack = new List<Frame>();
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
                    var text = reader.GetString()!;
                    if (text.StartsWith("gAAAAA", StringComparison.Ordinal) || text.StartsWith("enc:gAAAAA", StringComparison.Ordinal))
                    {
                        var prefixed = text.StartsWith("enc:", StringComparison.Ordinal);
                        var token = prefixed ? text[4..] : text;
                        if (FernetToken.Inspect(token) is not null)
                            fields.Add(new OracleField(PathOf(stack), token, prefixed, start + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length));
                    }
                    break;
                default:
                    if (stack.Count > 0 && stack[^1].IsArray) stack[^1].Index++;
                    break;
            }
        }
        return fields;
    }

    /// <summary>Which key of the ring opens each field (-1: none), as the old census classified it.</summary>
    public static int KeyIndex(KeyRing ring, string token)
    {
        for (var i = 0; i < ring.Keys.Count; i++)
            if (FernetToken.TryDecrypt(ring.Keys[i], token, out _)) return i;
        return -1;
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
