using System.Text.Json;

namespace RoboDJ.Sandbox.App;

/// <summary>
/// The JSON files under config/ that may hold encrypted fields. Folders that hold the pipeline's and the app's own
/// bookkeeping are skipped: logs/, agents/, key_rotation/ (journals, snapshots), snapshots/, backups/, incidents/.
/// A snapshot keeps fields under keys that a later rotation drops; scanning it would fail the startup check.
/// </summary>
static class ConfigTree
{
    public static readonly string[] SkippedFolders = ["logs", "agents", "key_rotation", "snapshots", "backups", "incidents"];

    public static IEnumerable<string> JsonFiles(SandboxLayout layout)
    {
        if (!Directory.Exists(layout.Config)) return [];
        return Directory.EnumerateFiles(layout.Config, "*.json", SearchOption.AllDirectories)
            .Where(f => !IsSkipped(layout.Config, f))
            .Order(StringComparer.Ordinal);
    }

    static bool IsSkipped(string config, string file)
    {
        var first = Path.GetRelativePath(config, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return SkippedFolders.Contains(first) || Path.GetFileName(file).StartsWith('.');
    }

    /// <summary>Loads every file; the first that is not JSON throws <see cref="ConfigParseException"/>.</summary>
    public static List<ConfigFile> Load(SandboxLayout layout)
    {
        var files = new List<ConfigFile>();
        foreach (var path in JsonFiles(layout))
        {
            try { files.Add(ConfigFile.Load(path, layout.Root)); }
            catch (JsonException e)
            {
                var rel = Path.GetRelativePath(layout.Root, path).Replace('\\', '/');
                throw new ConfigParseException($"{rel} is not valid JSON ({ConfigFile.DescribeParseError(e)}); fix the file or restore it from the snapshot");
            }
        }
        return files;
    }
}

sealed class ConfigParseException(string message) : Exception(message);
