namespace RoboDJ.KeyRotation.Config;

/// <summary>The JSON files of a deployment's config folder that hold app data, as the census and the rewrap see them.</summary>
static class ConfigTree
{
    // Our own state and backups: the journal and incidents hold no app fields, and snapshots must stay as they were taken.
    static readonly string[] SkippedTopFolders = ["key_rotation", "incidents"];
    static readonly string[] SkippedFolderNames = ["snapshots", "snapshot", ".snapshots"];

    public static IEnumerable<(string Path, string Relative)> JsonFiles(string configRoot)
    {
        var root = Path.GetFullPath(configRoot);
        if (!Directory.Exists(root)) yield break;
        var files = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(f => !Skipped(f.Relative))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var file in files) yield return file;
    }

    static bool Skipped(string relative)
    {
        var parts = relative.Split('/');
        if (parts.Length > 1 && SkippedTopFolders.Contains(parts[0])) return true;
        return parts[..^1].Any(p => SkippedFolderNames.Contains(p, StringComparer.OrdinalIgnoreCase));
    }
}
