using System.Diagnostics;
using System.Security.Cryptography;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Every entry below a folder as it is, links not followed, as find(1) lists it: a file by its SHA-256, mode and owner;
/// a folder by its mode and owner; a link by its target; a FIFO or device by its kind (never opened). Two states are
/// equal when nothing was changed, created or removed: what "bad input changes nothing" means, checked.
/// </summary>
public static class TreeState
{
    /// <param name="except">Entries (relative, '/'-separated) left out with everything below them, e.g. the app's own logs.</param>
    public static SortedDictionary<string, string> Of(string root, params string[] except)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // %P path below the root, %y type (f d l p c b s), %m mode, %U:%G owner, %l a link's target.
        foreach (var line in Find(root, "%P\t%y\t%m\t%U:%G\t%l\n"))
        {
            var (relative, type, mode, owner, target) = line.Split('\t') switch { var p => (p[0], p[1], p[2], p[3], p[4]) };
            if (relative.Length == 0 || except.Any(e => relative == e || relative.StartsWith(e + "/", StringComparison.Ordinal))) continue;
            state[relative] = type switch
            {
                "l" => $"link -> {target}",
                "f" => $"file {Hash(Path.Combine(root, relative))} {mode} {owner}",
                _ => $"{type} {mode} {owner}",
            };
        }
        return state;
    }

    /// <summary>The entries added, removed or changed from <paramref name="before"/> to <paramref name="after"/>, one per line.</summary>
    public static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join("\n", before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.GetValueOrDefault(k) ?? "(absent)"} -> {after.GetValueOrDefault(k) ?? "(absent)"}"));

    /// <summary>Fails naming every entry changed, created or removed.</summary>
    public static void AssertUnchanged(SortedDictionary<string, string> before, string root, params string[] except)
    {
        var changed = Difference(before, Of(root, except));
        Assert.True(changed.Length == 0, $"entries of {root} changed:\n{changed}");
    }

    static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static IEnumerable<string> Find(string root, string format)
    {
        var info = new ProcessStartInfo("find") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { root, "-printf", format }) info.ArgumentList.Add(arg);
        using var find = Process.Start(info)!;
        var output = find.StandardOutput.ReadToEnd();
        find.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
