using System.Diagnostics;
using Xunit;

namespace RoboDJ.Testing;

/// <summary>Files that are not what they seem, made with the system's own tools: a FIFO (mkfifo), links, invalid UTF-8.</summary>
public static class HostileFiles
{
    /// <summary>Replaces <paramref name="path"/> with a named pipe; skips off Unix.</summary>
    public static void Fifo(string path)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("named pipes in the file system are Unix only");
        if (File.Exists(path)) File.Delete(path);
        var info = new ProcessStartInfo("mkfifo") { RedirectStandardError = true };
        info.ArgumentList.Add(path);
        using var mkfifo = Process.Start(info)!;
        mkfifo.WaitForExit(10_000);
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path}: {mkfifo.StandardError.ReadToEnd()}");
    }

    /// <summary>Replaces <paramref name="path"/> (a file, a folder or a link) with a symbolic link to <paramref name="target"/>.</summary>
    public static void Link(string path, string target)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("symbolic links need privileges on Windows");
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
        else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        File.CreateSymbolicLink(path, target);
    }
}
