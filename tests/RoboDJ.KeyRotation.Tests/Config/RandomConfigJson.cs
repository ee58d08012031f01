using System.Text;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>
/// Writes JSON text by hand, so that everything a reader may meet turns up: tokens under each key given (plain,
/// "enc:"-prefixed, JSON-escaped), strings that only look like tokens, damaged tokens, nested arrays, odd and escaped
/// property names, numbers, literals, CRLF or LF, a BOM, and varied spacing.
/// </summary>
sealed class RandomConfigJson(Random random, IReadOnlyList<FernetKey> keys)
{
    readonly StringBuilder text = new();
    string newline = "\n";
    int fieldsLeft;

    public static readonly DateTimeOffset Written = ConfigTreeBuilder.Written;

    /// <summary>A document with about <paramref name="fields"/> token-like values (some damaged, some not tokens at all).</summary>
    public string Document(int fields)
    {
        text.Clear();
        newline = random.Next(3) == 0 ? "\r\n" : "\n";
        fieldsLeft = fields;
        if (random.Next(4) == 0) text.Append('\uFEFF');
        text.Append('{').Append(newline);
        var first = true;
        var station = 0;
        while (fieldsLeft > 0)
        {
            if (!first) text.Append(',').Append(newline);
            first = false;
            text.Append("  ").Append(Name($"section{station++}")).Append(": ");
            Value(1);
        }
        text.Append(newline).Append('}').Append(newline);
        return text.ToString();
    }

    void Value(int depth)
    {
        switch (depth > 4 ? random.Next(4) : random.Next(7))
        {
            case 0: text.Append(random.Next(-1000, 1000)); break;
            case 1: text.Append(random.Next(3) switch { 0 => "true", 1 => "null", _ => "1.5e3" }); break;
            case 2 or 3: TokenLike(); break;
            case 4: text.Append("\"plain ").Append(random.Next(100)).Append(" \\\"quoted\\\" caf\u00e9\""); break;
            case 5:
                text.Append('[');
                for (var i = random.Next(5); i > 0; i--) { Value(depth + 1); if (i > 1) text.Append(random.Next(2) == 0 ? ", " : ","); }
                text.Append(']');
                break;
            default:
                text.Append('{').Append(newline);
                // Unique names: python's json keeps only the last of a repeated one, and the peers compare documents.
                var names = new HashSet<string>();
                for (var i = random.Next(1, 5); i > 0; i--)
                {
                    var name = PropertyName();
                    while (!names.Add(name)) name += "_";
                    text.Append(new string(' ', 2 * (depth + 1))).Append(Name(name)).Append(random.Next(2) == 0 ? ": " : ":");
                    Value(depth + 1);
                    if (i > 1) text.Append(',');
                    text.Append(newline);
                }
                text.Append(new string(' ', 2 * depth)).Append('}');
                break;
        }
    }

    string PropertyName() => random.Next(8) switch
    {
        0 => "it's a key",
        1 => "back\\slash",
        2 => "caf\u00e9",
        3 => "",
        4 => "9lives",
        _ => random.Next(3) switch { 0 => "api_token", 1 => "name", _ => "k" + random.Next(20) },
    };

    /// <summary>A property name as JSON, sometimes with a needless escape.</summary>
    string Name(string name)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(name);
        if (name.Length > 0 && random.Next(6) == 0) json = "\"\\u" + ((int)name[0]).ToString("x4") + json[2..];
        return json;
    }

    void TokenLike()
    {
        fieldsLeft--;
        var prefix = random.Next(3) == 0 ? "enc:" : "";
        var kind = random.Next(10);
        string token = kind switch
        {
            0 => "gAAAAAnot-a-token-" + random.Next(1000),
            1 => Damaged(Token()),
            _ => Token(),
        };
        var body = prefix + token;
        if (random.Next(8) == 0) body = "\\u" + ((int)body[0]).ToString("x4") + body[1..];
        text.Append('"').Append(body).Append('"');
    }

    string Token() => FernetToken.Encrypt(keys[random.Next(keys.Count)], Encoding.UTF8.GetBytes($"secret {random.Next()} {new string('x', random.Next(40))}"),
        Written.AddSeconds(random.Next(1000)));

    string Damaged(string token) => random.Next(3) switch
    {
        0 => token[..^8] + "AAAAAAA=",        // a MAC no key matches
        1 => token.TrimEnd('='),              // padding dropped: still a token, but one Python's Fernet refuses
        _ => token[..^5],                     // cut short
    };
}
