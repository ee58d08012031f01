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

    /// <summary>Re-encrypts under the primary key with the token's original timestamp; null when no key opens it.</summary>
    public string? Rotate(string token)
    {
        if (TryDecrypt(token, out var plaintext) is null) return null;
        var info = FernetToken.Inspect(token)!.Value;
        return FernetToken.Encrypt(Primary, plaintext, info.Timestamp);
    }
}
