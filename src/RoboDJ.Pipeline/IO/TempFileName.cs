using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// The atomic writer's temp files, ".&lt;name&gt;.&lt;32 hex&gt;.tmp" beside their target. One a killed writer left
/// behind may hold what it was writing (a .env: keys), so <see cref="LeftIn"/> finds them for a clean-up.
/// </summary>
public static partial class TempFileName
{
    public static string For(string target) => Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

    public static bool IsOne(string fileName) => Pattern().IsMatch(fileName);

    /// <summary>The temp files in <paramref name="folder"/> (and below it, when <paramref name="recursive"/>).</summary>
    public static IReadOnlyList<string> LeftIn(string folder, bool recursive) =>
        !Directory.Exists(folder) ? []
        // A link is never followed: a folder linked from elsewhere (or a loop) is not this folder's to clean.
        : Directory.EnumerateFiles(folder, ".*.tmp", new EnumerationOptions { RecurseSubdirectories = recursive, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(path => IsOne(Path.GetFileName(path))).Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Pattern();
}
