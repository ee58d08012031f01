namespace RoboDJ.KeyRotation.Secrets;

/// <summary>MultiFernet semantics: encrypt with the first key, decrypt with any, rotate onto the first keeping the timestamp.</summary>
public sealed class KeyRing
{
    public KeyRing(params FernetKey[] keys)
    {
        if (keys.Length == 0) throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        Keys = keys;
    }

    public IReadOnlyList<FernetKey> Keys { get; }
    public FernetKey Primary => Keys[0];

    public string Encrypt(ReadOnlySpan<byte> plaintext) => FernetToken.Encrypt(Primary, plaintext);

    /// <summary>The key that opens the token, or null when none does.</summary>
    public FernetKey? TryDecrypt(string token, out byte[] plaintext)
    {
        foreach (var key in Keys)
            if (FernetToken.TryDecrypt(key, token, out plaintext)) return key;
        plaintext = [];
        return null;
    }

    /// <summary>
    /// The position of the first key that opens a token's bytes (see <see cref="FernetToken.IsShaped"/>), or -1;
    /// the plaintext goes to <paramref name="plaintext"/>, at least as long as the token.
    /// </summary>
    internal int TryDecryptRaw(ReadOnlySpan<byte> raw, Span<byte> plaintext, out int written)
    {
        for (var i = 0; i < Keys.Count; i++)
            if (FernetToken.TryDecryptRaw(Keys[i], raw, plaintext, out written)) return i;
        written = 0;
        return -1;
    }

    /// <summary>Re-encrypts under the primary key with the token's original timestamp; null when no key opens it.</summary>
    public string? Rotate(string token)
    {
        if (TryDecrypt(token, out var plaintext) is null) return null;
        var info = FernetToken.Inspect(token)!.Value;
        return FernetToken.Encrypt(Primary, plaintext, info.Timestamp);
    }
}
