using System.Security.Cryptography;

namespace RoboDJ.Build.Tests;

/// <summary>
/// An independent census of a folder and of the processes working in it, to prove that a run changed nothing: every
/// file and folder with its bytes' hash, mode and mtime, and the pids whose command line names the folder.
/// </summary>
public static class DeploymentCensus
{
    public static Dictionary<string, string> Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Append(root)
            .Order(StringComparer.Ordinal)
            .ToDictionary(p => Path.GetRelativePath(root, p).Replace('\\', '/'), Describe);

    static string Describe(string path)
    {
        var info = new FileInfo(path);
        var mode = OperatingSystem.IsWindows() ? "" : $" mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}";
        // A folder's mtime moves when an entry is created or removed there, even a probe deleted at once.
        if (info.Attributes.HasFlag(FileAttributes.Directory)) return $"dir{mode} mtime {Directory.GetLastWriteTimeUtc(path):O}";
        return $"sha256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}{mode} mtime {info.LastWriteTimeUtc:O}";
    }

    /// <summary>Processes whose command line names the folder, e.g. an app started there.</summary>
    public static List<int> ProcessesMentioning(string folder)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(folder, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found.Order().ToList();
    }
}
