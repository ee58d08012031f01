using System.Security.Cryptography;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// A Fernet key: 32 bytes (16 signing, 16 encryption) as urlsafe base64 with padding, 44 characters.
/// ToString never shows the key; use <see cref="Fingerprint"/>.
/// </summary>
public sealed class FernetKey : IEquatable<FernetKey>
{
    public const int TextLength = 44;
    readonly byte[] bytes;

    FernetKey(string text, byte[] bytes)
    {
        Text = text;
        this.bytes = bytes;
        Fingerprint = Fingerprint.Of(text);
        SecretRedactor.Register(text);
    }

    /// <summary>The key's text, for the secret store and the runtime only. Never log it.</summary>
    public string Text { get; }
    public Fingerprint Fingerprint { get; }
    internal ReadOnlySpan<byte> SigningKey => bytes.AsSpan(0, 16);
    internal ReadOnlySpan<byte> EncryptionKey => bytes.AsSpan(16, 16);

    // Setting up AES and HMAC costs more than their work on a config field, and neither is thread-safe: one set per key
    // and thread lets a census use every core without a lock.
    ThreadLocal<FernetCipher>? ciphers;
    internal FernetCipher Cipher
    {
        get
        {
            var local = ciphers;
            if (local is null)
            {
                local = new ThreadLocal<FernetCipher>(() => new FernetCipher(SigningKey, EncryptionKey));
                local = Interlocked.CompareExchange(ref ciphers, local, null) ?? local;
            }
            return local.Value!;
        }
    }

    public static FernetKey Generate()
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        return new FernetKey(Base64Url.EncodePadded(raw), raw);
    }

    /// <summary>Parses strictly; <paramref name="source"/> names where the key came from (file:line, variable) for the error.</summary>
    public static FernetKey Parse(string? text, string source)
    {
        if (TryParse(text, out var key, out var reason)) return key!;
        throw new MalformedKeyException(source, reason!);
    }

    public static bool TryParse(string? text, out FernetKey? key, out string? reason)
    {
        key = null;
        reason = Check(text);
        if (reason is not null) return false;
        key = new FernetKey(text!, Base64Url.Decode(text!)!);
        return true;
    }

    static string? Check(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "it is empty";
        if (text.Trim() != text) return "it has surrounding whitespace; remove it";
        if (text[0] is '"' or '\'' || text[^1] is '"' or '\'') return "it has surrounding quotes inside the value; remove them";
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '='))
                return c is '+' or '/'
                    ? "it uses the standard base64 alphabet ('+' or '/'); Fernet keys are urlsafe base64 ('-' and '_')"
                    : "it has a character outside urlsafe base64";
        if (text.Length == TextLength - 1 && !text.EndsWith('=')) return "it is missing its '=' padding";
        if (text.Length != TextLength) return $"it is {text.Length} characters long; a Fernet key is {TextLength} (32 bytes, urlsafe base64 with padding)";
        if (!text.EndsWith('=') || text[..^1].Contains('=')) return "its padding is malformed";
        var raw = Base64Url.Decode(text);
        if (raw is null || raw.Length != 32) return "it does not decode to 32 bytes";
        return null;
    }

    public bool Equals(FernetKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(bytes, other.bytes);
    public override bool Equals(object? obj) => Equals(obj as FernetKey);
    public override int GetHashCode() => Fingerprint.GetHashCode();
    public override string ToString() => $"FernetKey({Fingerprint})";
}
