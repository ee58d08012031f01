using System.Buffers;
using System.Security.Cryptography;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// One key's AES-128-CBC and HMAC-SHA256 for one thread, with the native contexts kept between calls: the one-shot APIs
/// set up a context per call, which costs more than the work on a config field (about 4 µs against 1 µs here).
/// CBC is done over an ECB transform (XOR with the previous block), PKCS7 as the spec says.
/// </summary>
sealed class FernetCipher
{
    const int Block = 16;
    readonly ICryptoTransform encryptor;
    readonly ICryptoTransform decryptor;
    readonly IncrementalHash mac;
    byte[] scratch = new byte[1024];

    public FernetCipher(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> encryptionKey)
    {
        using var aes = Aes.Create();
        aes.Key = encryptionKey.ToArray();
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        encryptor = aes.CreateEncryptor();
        decryptor = aes.CreateDecryptor();
        mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingKey);
    }

    public void Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        mac.AppendData(data);
        mac.GetHashAndReset(destination);
    }

    /// <summary>Pads and encrypts into <paramref name="destination"/>; returns the ciphertext length.</summary>
    public int EncryptCbc(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        var length = (plaintext.Length / Block + 1) * Block;
        var buffer = Scratch(2 * Block);
        try
        {
            var previous = iv;
            for (var at = 0; at < length; at += Block)
            {
                var input = buffer.AsSpan(0, Block);
                for (var i = 0; i < Block; i++)
                {
                    var p = at + i < plaintext.Length ? plaintext[at + i] : (byte)(length - plaintext.Length);
                    input[i] = (byte)(p ^ previous[i]);
                }
                encryptor.TransformBlock(buffer, 0, Block, buffer, Block);
                buffer.AsSpan(Block, Block).CopyTo(destination.Slice(at, Block));
                previous = destination.Slice(at, Block);
            }
            return length;
        }
        finally { CryptographicOperations.ZeroMemory(buffer.AsSpan(0, 2 * Block)); }
    }

    /// <summary>Decrypts and checks the PKCS7 padding; false when it is wrong (as Python's unpadder refuses it).</summary>
    public bool TryDecryptCbc(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> iv, Span<byte> destination, out int written)
    {
        written = 0;
        var length = ciphertext.Length;
        if (length == 0 || length % Block != 0) return false;
        var buffer = Scratch(2 * length);
        try
        {
            ciphertext.CopyTo(buffer);
            decryptor.TransformBlock(buffer, 0, length, buffer, length);
            var plain = buffer.AsSpan(length, length);
            for (var i = 0; i < length; i++) plain[i] ^= i < Block ? iv[i] : ciphertext[i - Block];
            var pad = plain[^1];
            if (pad is 0 or > Block) return false;
            foreach (var b in plain[^pad..]) if (b != pad) return false;
            if (destination.Length < length - pad) return false;
            plain[..^pad].CopyTo(destination);
            written = length - pad;
            return true;
        }
        finally { CryptographicOperations.ZeroMemory(buffer.AsSpan(0, 2 * length)); }
    }

    byte[] Scratch(int length)
    {
        if (scratch.Length < length) scratch = new byte[Math.Max(length, scratch.Length * 2)];
        return scratch;
    }
}
