namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Urlsafe base64 with padding, as Python's base64.urlsafe_b64encode writes it (Fernet keys and tokens).</summary>
static class Base64Url
{
    public static string EncodePadded(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Decodes with or without padding; null when the text is not urlsafe base64. Stricter than Convert.FromBase64String,
    /// which skips whitespace: a token or key with a stray space or newline is damaged, not acceptable.
    /// </summary>
    public static byte[]? Decode(string text)
    {
        var body = text.AsSpan().TrimEnd('=');
        if (text.Length - body.Length > 2) return null;
        foreach (var c in body)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        var padding = (body.Length % 4) switch { 0 => 0, 2 => 2, 3 => 1, _ => -1 };
        if (padding < 0) return null;
        var chars = new char[body.Length + padding];
        for (var i = 0; i < body.Length; i++)
            chars[i] = body[i] switch { '-' => '+', '_' => '/', var c => c };
        chars.AsSpan(body.Length).Fill('=');
        var bytes = new byte[chars.Length / 4 * 3];
        return Convert.TryFromBase64Chars(chars, bytes, out var written) ? bytes[..written] : null;
    }
}
