using System.Security.Cryptography;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Every entry below a folder, files and folders alike, with its kind, mode and owner, and a file's SHA-256: what
/// "changed nothing" means for a refused run. A folder the run created shows up as a new entry.
/// </summary>
public static class TreeState
{
    public static SortedDictionary<string, string> Of(string root) =>
        new(new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .ToDictionary(e => Path.GetRelativePath(root, e.FullName).Replace('\\', '/'), Describe), StringComparer.Ordinal);

    /// <summary>The entries added, removed or changed from <paramref name="before"/> to <paramref name="after"/>, one per line.</summary>
    public static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join("\n", before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)
            .Select(k => $"{k}: {(before.TryGetValue(k, out var b) ? b : "absent")} -> {(after.TryGetValue(k, out var a) ? a : "absent")}"));

    static string Describe(FileSystemInfo entry)
    {
        var mode = OperatingSystem.IsWindows() ? "" : Convert.ToString((int)entry.UnixFileMode, 8);
        var owner = UnixOwner.Of(entry.FullName)?.ToString() ?? "";
        return entry switch
        {
            _ when entry.LinkTarget is { } target => $"link -> {target} {owner}",
            DirectoryInfo => $"folder {mode} {owner}",
            _ => $"file {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry.FullName)))} {mode} {owner}",
        };
    }
}
