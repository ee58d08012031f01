using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The only form of a key that may ever be shown: the first 12 hex digits of SHA-256 over the key's text.</summary>
public readonly record struct Fingerprint(string Hex)
{
    public static Fingerprint Of(string keyText) => new(SecretFingerprint.Hex(keyText));

    public override string ToString() => "sha256:" + Hex;
}
