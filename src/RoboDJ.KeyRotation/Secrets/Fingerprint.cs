using System.Security.Cryptography;
using System.Text;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The only form of a key that may ever be shown: the first 12 hex digits of SHA-256 over the key's text.</summary>
public readonly record struct Fingerprint(string Hex)
{
    public static Fingerprint Of(string keyText)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(keyText));
        return new Fingerprint(Convert.ToHexStringLower(hash)[..12]);
    }

    public override string ToString() => "sha256:" + Hex;
}
