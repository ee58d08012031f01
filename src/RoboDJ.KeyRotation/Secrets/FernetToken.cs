using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// Fernet tokens per the spec: 0x80 | timestamp (8, big-endian) | IV (16) | AES-128-CBC ciphertext | HMAC-SHA256 (32).
/// The string methods are for single values; the span methods are the same code over caller-owned buffers, so a census
/// or rewrap of a million fields allocates nothing per field.
/// </summary>
public static class FernetToken
{
    public const byte Version = 0x80;
    const int HeaderLength = 1 + 8 + 16;
    const int MacLength = 32;
    /// <summary>The shortest possible token: header, one cipher block, MAC.</summary>
    public const int MinimumLength = HeaderLength + 16 + MacLength;

    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset? timestamp = null, byte[]? iv = null)
    {
        var raw = new byte[RawLength(plaintext.Length)];
        EncryptRaw(key, plaintext, (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), iv, raw);
        return Base64Url.EncodePadded(raw);
    }

    /// <summary>The length of a token's bytes (before base64) for a plaintext of this length.</summary>
    internal static int RawLength(int plaintextLength) => HeaderLength + (plaintextLength / 16 + 1) * 16 + MacLength;

    /// <summary>The length of a token's text for a plaintext of this length.</summary>
    internal static int TextLength(int plaintextLength) => Base64Url.EncodedLength(RawLength(plaintextLength));

    /// <summary>Encrypts into <paramref name="utf8"/> (at least <see cref="TextLength"/>) as token text; returns its length.</summary>
    internal static int EncryptUtf8(FernetKey key, ReadOnlySpan<byte> plaintext, long unixSeconds, Span<byte> utf8)
    {
        var length = RawLength(plaintext.Length);
        Span<byte> raw = length <= 1024 ? stackalloc byte[length] : new byte[length];
        EncryptRaw(key, plaintext, unixSeconds, null, raw);
        return Base64Url.EncodePadded(raw, utf8);
    }

    static void EncryptRaw(FernetKey key, ReadOnlySpan<byte> plaintext, long unixSeconds, byte[]? iv, Span<byte> token)
    {
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(1, 8), unixSeconds);
        var ivSpan = token.Slice(9, 16);
        if (iv is null) RandomIv.Fill(ivSpan);
        else iv.CopyTo(ivSpan);
        var cipher = key.Cipher;
        cipher.EncryptCbc(plaintext, ivSpan, token[HeaderLength..^MacLength]);
        cipher.Sign(token[..^MacLength], token[^MacLength..]);
    }

    /// <summary>Python's Fernet allows a token this far in the future when a TTL is checked.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Verifies and decrypts; false when the key does not open the token (wrong key, tampered, malformed).</summary>
    public static bool TryDecrypt(FernetKey key, string token, out byte[] plaintext) => TryDecrypt(key, token, out plaintext, null, default);

    /// <summary>
    /// As Python's <c>Fernet.decrypt(token, ttl)</c>: with a TTL, a token older than it, or further in the future than
    /// <see cref="MaxClockSkew"/>, is refused. Without one, age is not checked (config fields live for years).
    /// </summary>
    public static bool TryDecrypt(FernetKey key, string token, out byte[] plaintext, TimeSpan? ttl, DateTimeOffset now)
    {
        plaintext = [];
        if (!Base64Url.IsPadded(token.Length)) return false; // as Python's Fernet, which needs the '=' padding
        var raw = Base64Url.Decode(token);
        if (raw is null || !IsShaped(raw)) return false;
        if (ttl is { } limit)
        {
            var issued = BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(1, 8));
            var current = now.ToUnixTimeSeconds();
            if (issued + (long)limit.TotalSeconds < current || current + (long)MaxClockSkew.TotalSeconds < issued) return false;
        }
        var buffer = new byte[raw.Length];
        if (!TryDecryptRaw(key, raw, buffer, out var written)) return false;
        plaintext = buffer[..written];
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    /// <summary>
    /// Verifies and decrypts a token's bytes (already base64-decoded and <see cref="IsShaped"/>) into
    /// <paramref name="plaintext"/>, which must be at least as long as the token.
    /// </summary>
    internal static bool TryDecryptRaw(FernetKey key, ReadOnlySpan<byte> raw, Span<byte> plaintext, out int written)
    {
        written = 0;
        var cipher = key.Cipher;
        Span<byte> mac = stackalloc byte[MacLength];
        cipher.Sign(raw[..^MacLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[^MacLength..])) return false;
        return cipher.TryDecryptCbc(raw[HeaderLength..^MacLength], raw.Slice(9, 16), plaintext, out written);
    }

    /// <summary>Version byte, length and block size right: what a key is tried on.</summary>
    internal static bool IsShaped(ReadOnlySpan<byte> raw) =>
        raw.Length >= MinimumLength && raw[0] == Version && (raw.Length - HeaderLength - MacLength) % 16 == 0;

    internal static long UnixSeconds(ReadOnlySpan<byte> raw) => BinaryPrimitives.ReadInt64BigEndian(raw.Slice(1, 8));

    static ReadOnlySpan<byte> TokenStart => "gAAAAA"u8;

    /// <summary>Decodes token text into <paramref name="raw"/> (at least <see cref="Base64Url.MaxDecodedLength"/>); false when it is not shaped like a token.</summary>
    internal static bool TryDecodeUtf8(ReadOnlySpan<byte> utf8, Span<byte> raw, out int length)
    {
        length = 0;
        return utf8.StartsWith(TokenStart) && Base64Url.TryDecode(utf8, raw, out length) && IsShaped(raw[..length]);
    }

    /// <summary>Whether UTF-8 text is shaped like a token (no key tried).</summary>
    internal static bool IsTokenText(ReadOnlySpan<byte> utf8)
    {
        var length = Base64Url.MaxDecodedLength(utf8.Length);
        Span<byte> raw = length <= 1024 ? stackalloc byte[length] : new byte[length];
        return TryDecodeUtf8(utf8, raw, out _);
    }

    /// <summary>Reads version and timestamp without a key; null when the text is not shaped like a Fernet token.</summary>
    public static TokenInfo? Inspect(string token)
    {
        if (!token.StartsWith("gAAAAA", StringComparison.Ordinal)) return null;
        var utf8 = Encoding.ASCII.GetBytes(token);
        var raw = new byte[Base64Url.MaxDecodedLength(utf8.Length)];
        if (!TryDecodeUtf8(utf8, raw, out _)) return null;
        return new TokenInfo(raw[0], DateTimeOffset.FromUnixTimeSeconds(UnixSeconds(raw)));
    }
}

public readonly record struct TokenInfo(byte Version, DateTimeOffset Timestamp);
