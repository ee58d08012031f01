namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Urlsafe base64 with padding, as Python's base64.urlsafe_b64encode writes it (Fernet keys and tokens).</summary>
static class Base64Url
{
    public static string EncodePadded(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes with or without padding; null when the text is not urlsafe base64.</summary>
    public static byte[]? Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        if (text.Contains('+') || text.Contains('/')) return null;
        s = s.TrimEnd('=');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try { return Convert.FromBase64String(s); }
        catch (FormatException) { return null; }
    }
}
