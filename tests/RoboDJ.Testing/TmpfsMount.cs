using System.Diagnostics;
using Xunit;

namespace RoboDJ.Testing;

/// <summary>
/// A tmpfs of a fixed size mounted on a fresh folder, so that a full disk (ENOSPC) is real. Needs root (skipped, saying
/// why, otherwise). Disposing unmounts it (lazily, should a process still hold a file there) and removes the folder.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    readonly TempDir mountPoint = new("robodj-tmpfs");

    public TmpfsMount(int megabytes)
    {
        FileAttributesAsRoot.RequireRoot();
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", mountPoint.Path);
    }

    public string Path => mountPoint.Path;

    /// <summary>Writes <paramref name="file"/> until the file system says it is full; returns the bytes it took.</summary>
    public static long Fill(string file)
    {
        var chunk = new byte[1 << 16];
        long written = 0;
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                stream.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException) { }
        // Down to the last page: a small write may still fit where a chunk did not.
        try { while (true) { stream.Write(chunk, 0, 512); written += 512; } }
        catch (IOException) { }
        return written;
    }

    public void Dispose()
    {
        try { Run("umount", "-l", mountPoint.Path); }
        finally { mountPoint.Dispose(); }
    }

    static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(30_000);
        if (process.ExitCode != 0) throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` failed: {error.Result}");
    }
}
