using System.Security.Cryptography;
using System.Text;

namespace RoboDJ.Pipeline;

/// <summary>
/// The only form of a secret that may be shown (DESIGN.md §6): the first 12 hex digits of SHA-256 over its UTF-8 text.
/// One computation, so a redacted "***&lt;fingerprint&gt;" in a log matches the key fingerprint a summary names.
/// </summary>
public static class SecretFingerprint
{
    public static string Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];
}
