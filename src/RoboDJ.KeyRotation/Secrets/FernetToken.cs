using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Fernet tokens per the spec: 0x80 | timestamp (8, big-endian) | IV (16) | AES-128-CBC ciphertext | HMAC-SHA256 (32).</summary>
public static class FernetToken
{
    public const byte Version = 0x80;
    const int HeaderLength = 1 + 8 + 16;
    const int MacLength = 32;
    /// <summary>The shortest possible token: header, one cipher block, MAC.</summary>
    public const int MinimumLength = HeaderLength + 16 + MacLength;

    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset? timestamp = null, byte[]? iv = null)
    {
        iv ??= RandomNumberGenerator.GetBytes(16);
        var input = plaintext.ToArray();
        var cipher = key.WithCipher(aes => aes.EncryptCbc(input, iv, PaddingMode.PKCS7));

        var token = new byte[HeaderLength + cipher.Length + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        cipher.CopyTo(token, HeaderLength);
        HMACSHA256.HashData(key.SigningKey, token.AsSpan(0, token.Length - MacLength), token.AsSpan(token.Length - MacLength));
        return Base64Url.EncodePadded(token);
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
        var raw = Base64Url.Decode(token);
        if (raw is null || raw.Length < MinimumLength || raw[0] != Version || (raw.Length - HeaderLength - MacLength) % 16 != 0)
            return false;
        if (ttl is { } limit)
        {
            var issued = BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(1, 8));
            var current = now.ToUnixTimeSeconds();
            if (issued + (long)limit.TotalSeconds < current || current + (long)MaxClockSkew.TotalSeconds < issued) return false;
        }
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key.SigningKey, raw.AsSpan(0, raw.Length - MacLength), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw.AsSpan(raw.Length - MacLength)))
            return false;
        try
        {
            plaintext = key.WithCipher(aes => aes.DecryptCbc(raw.AsSpan(HeaderLength, raw.Length - HeaderLength - MacLength), raw.AsSpan(9, 16), PaddingMode.PKCS7));
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>Reads version and timestamp without a key; null when the text is not shaped like a Fernet token.</summary>
    public static TokenInfo? Inspect(string token)
    {
        if (!token.StartsWith("gAAAAA", StringComparison.Ordinal)) return null;
        var raw = Base64Url.Decode(token);
        if (raw is null || raw.Length < MinimumLength || raw[0] != Version || (raw.Length - HeaderLength - MacLength) % 16 != 0)
            return null;
        var seconds = BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(1, 8));
        return new TokenInfo(raw[0], DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}

public readonly record struct TokenInfo(byte Version, DateTimeOffset Timestamp);
