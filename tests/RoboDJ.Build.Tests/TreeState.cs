using System.Security.Cryptography;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Every entry below a deployment's root, folders included (an empty key_rotation/ counts): its kind, mode, owner and,
/// for a file, its SHA-256; for a link, its target. What "a refusal changes nothing" is checked against.
/// </summary>
public sealed class TreeState
{
    readonly SortedDictionary<string, string> entries;

    TreeState(SortedDictionary<string, string> entries) => this.entries = entries;

    /// <param name="except">Folders (relative, '/'-separated) left out, e.g. the app's own logs.</param>
    public static TreeState Of(string root, params string[] except)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var rel = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (except.Any(e => rel == e || rel.StartsWith(e + "/", StringComparison.Ordinal))) continue;
            var info = new FileInfo(path);
            var owner = UnixOwner.Of(path)?.ToString() ?? "?";
            var mode = OperatingSystem.IsWindows() ? "" : Convert.ToString((int)File.GetUnixFileMode(path), 8);
            entries[rel] = info.LinkTarget is { } target ? $"link -> {target}"
                : Directory.Exists(path) ? $"folder {mode} {owner}"
                : $"file {mode} {owner} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}";
        }
        return new TreeState(entries);
    }

    /// <summary>Every entry's path, relative to the root and '/'-separated.</summary>
    public IReadOnlyCollection<string> Paths => entries.Keys;

    public void AssertUnchanged(TreeState after)
    {
        var added = after.entries.Keys.Except(entries.Keys).ToList();
        var removed = entries.Keys.Except(after.entries.Keys).ToList();
        var changed = entries.Keys.Intersect(after.entries.Keys).Where(k => entries[k] != after.entries[k]).ToList();
        Assert.True(added.Count + removed.Count + changed.Count == 0,
            $"the tree changed: added {string.Join(", ", added)}; removed {string.Join(", ", removed)}; changed {string.Join(", ", changed)}");
    }
}
