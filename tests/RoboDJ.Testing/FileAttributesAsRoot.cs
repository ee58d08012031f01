using System.Diagnostics;
using Xunit;

namespace RoboDJ.Testing;

/// <summary>
/// Owners and chattr flags, through the system's own chown, stat and chattr. Tests that need them run as root and skip,
/// saying why, where they cannot (not root, or a file system without inode flags).
/// </summary>
public static class FileAttributesAsRoot
{
    public static void RequireRoot()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix owners only");
        if (Run("id", "-u").Trim() != "0") Assert.Skip("needs root to give files to another user (chown)");
    }

    /// <summary>Skips unless `chattr +i` works on a probe file in <paramref name="folder"/>'s file system.</summary>
    public static void RequireChattr(string folder)
    {
        RequireRoot();
        var probe = Path.Combine(folder, $".chattr-probe-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "");
        try
        {
            if (TryRun("chattr", "+i", probe) is null) Assert.Skip($"chattr +i does not work on the file system of {folder}");
            TryRun("chattr", "-i", probe);
        }
        finally { File.Delete(probe); }
    }

    public static void Chown(string path, string owner) => Run("chown", "-h", owner, path);

    /// <summary>"uid:gid" of the file a path names (following a symlink).</summary>
    public static string OwnerOf(string path) => Run("stat", "-L", "-c", "%u:%g", path).Trim();

    public static void Chattr(string path, string flag) => Run("chattr", flag, path);

    static string Run(string file, params string[] args) =>
        TryRun(file, args) ?? throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` failed");

    static string? TryRun(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return null; }
            return p.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
