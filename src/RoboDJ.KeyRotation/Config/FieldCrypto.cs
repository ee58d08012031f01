using System.Buffers;
using System.Security.Cryptography;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>The per-field work of census and rewrap, on stack or pooled buffers: nothing allocated per field.</summary>
static class FieldCrypto
{
    public const int NotAToken = -2;
    public const int NoKey = -1;
    const int StackLimit = 1024;

    /// <summary>The position of the first key that opens the token text, <see cref="NoKey"/>, or <see cref="NotAToken"/>.</summary>
    public static int Classify(KeyRing ring, ReadOnlySpan<byte> text, out long unixSeconds) =>
        Open(ring, text, out unixSeconds, null, default, out _);

    /// <summary>
    /// As <see cref="Classify"/>; when the opener is not the primary (per <paramref name="isPrimary"/>), the field is
    /// encrypted again under the primary with its own timestamp into <paramref name="rewrapped"/> (at least
    /// <see cref="RewrapCapacity"/>), its length in <paramref name="written"/>; 0 means nothing to write.
    /// </summary>
    public static int Open(KeyRing ring, ReadOnlySpan<byte> text, out long unixSeconds, bool[]? isPrimary, Span<byte> rewrapped, out int written)
    {
        unixSeconds = 0;
        written = 0;
        var rawCapacity = Base64Url.MaxDecodedLength(text.Length);
        byte[]? rented = rawCapacity * 2 > StackLimit ? ArrayPool<byte>.Shared.Rent(rawCapacity * 2) : null;
        Span<byte> buffers = rented ?? stackalloc byte[StackLimit];
        var raw = buffers[..rawCapacity];
        var plaintext = buffers.Slice(rawCapacity, rawCapacity);
        try
        {
            if (!FernetToken.TryDecodeUtf8(text, raw, out var rawLength)) return NotAToken;
            raw = raw[..rawLength];
            unixSeconds = FernetToken.UnixSeconds(raw);
            // A field, but one Python's Fernet refuses ("Incorrect padding"): the app cannot open it, so no key does.
            if (!Base64Url.IsPadded(text.Length)) return NoKey;
            var opener = ring.TryDecryptRaw(raw, plaintext, out var length);
            if (opener >= 0 && isPrimary is not null && !isPrimary[opener])
                written = FernetToken.EncryptUtf8(ring.Primary, plaintext[..length], unixSeconds, rewrapped);
            return opener;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Room for the rewrapped text of a token this long: the same bytes again, padded.</summary>
    public static int RewrapCapacity(int textLength) => Base64Url.EncodedLength(Base64Url.MaxDecodedLength(textLength));
}
