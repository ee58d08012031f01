using RoboDJ.Pipeline.IO;
using System.Security.Cryptography;

namespace RoboDJ.KeyRotation.Config;

/// <summary>SHA-256 of a file's bytes, streamed: the snapshot's manifest and the "did the app rewrite it" check.</summary>
public static class FileContentHash
{
    public static string Of(string path)
    {
        using var stream = InputFile.Open(path, InputLimits.ConfigJsonBytes);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Each file's hash by its path relative to the deployment root.</summary>
    public static IReadOnlyDictionary<string, string> Of(IEnumerable<ScopeFile> files) =>
        files.ToDictionary(f => f.Relative, f => Of(f.Path), StringComparer.Ordinal);
}
