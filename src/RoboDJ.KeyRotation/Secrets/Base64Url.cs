using System.Buffers;
using System.Buffers.Text;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Urlsafe base64 with padding, as Python's base64.urlsafe_b64encode writes it (Fernet keys and tokens).</summary>
static class Base64Url
{
    static readonly SearchValues<byte> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    public static string EncodePadded(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    /// <summary>The length of <paramref name="byteCount"/> bytes encoded with padding.</summary>
    public static int EncodedLength(int byteCount) => (byteCount + 2) / 3 * 4;

    /// <summary>Encodes into UTF-8 with padding; returns the bytes written.</summary>
    public static int EncodePadded(ReadOnlySpan<byte> data, Span<byte> utf8)
    {
        Base64.EncodeToUtf8(data, utf8, out _, out var written);
        var text = utf8[..written];
        text.Replace((byte)'+', (byte)'-');
        text.Replace((byte)'/', (byte)'_');
        return written;
    }

    /// <summary>
    /// Decodes with or without padding; null when the text is not urlsafe base64. Stricter than Convert.FromBase64String,
    /// which skips whitespace: a token or key with a stray space or newline is damaged, not acceptable.
    /// </summary>
    public static byte[]? Decode(string text)
    {
        // A character outside ASCII becomes '?', which the alphabet check refuses.
        var utf8 = System.Text.Encoding.ASCII.GetBytes(text);
        var bytes = new byte[MaxDecodedLength(utf8.Length)];
        return TryDecode(utf8, bytes, out var written) ? bytes[..written] : null;
    }

    public static int MaxDecodedLength(int textLength) => (textLength + 3) / 4 * 3;

    /// <summary>Whether text of this length carries its '=' padding, which Python's base64 decoder (and so Fernet) requires.</summary>
    public static bool IsPadded(int textLength) => textLength % 4 == 0;

    /// <summary>As <see cref="Decode(string)"/> over UTF-8 bytes, into a buffer of at least <see cref="MaxDecodedLength"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, Span<byte> bytes, out int written)
    {
        written = 0;
        var body = utf8.TrimEnd((byte)'=');
        if (utf8.Length - body.Length > 2) return false;
        if (body.IndexOfAnyExcept(Alphabet) >= 0) return false;
        if (body.Length % 4 == 1) return false;
        // The urlsafe decoder takes padding as optional, which is what the string form always allowed.
        return System.Buffers.Text.Base64Url.DecodeFromUtf8(body, bytes, out _, out written) == OperationStatus.Done;
    }
}
