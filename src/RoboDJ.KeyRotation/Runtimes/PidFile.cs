namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The pid the app wrote at startup. A pid is only trusted when its process started shortly before the file was
/// written; otherwise the pid belongs to an unrelated process (reused, or much older), which Stop must never touch.
/// </summary>
public static class PidFile
{
    static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(1);

    /// <summary>How long an app may take from its start until it writes the pid file.</summary>
    static readonly TimeSpan StartupAllowance = TimeSpan.FromMinutes(5);

    public static AppProcess? Read(string? path)
    {
        if (Pid(path) is not { } pid) return null;
        var process = ProcessTable.Get(pid);
        var written = File.GetLastWriteTimeUtc(path!);
        return process is not null && process.StartTime <= written + ClockSlack && process.StartTime >= written - StartupAllowance ? process : null;
    }

    /// <summary>
    /// The pid the file names, alive or not; null when there is no file or no pid in it. It lies in the deployment, which
    /// a less trusted user may write: read through the one input reader, a FIFO or a link to /dev/zero there names no
    /// pid instead of blocking the run (Preflight waited on a FIFO forever, deaf to SIGTERM).
    /// </summary>
    public static int? Pid(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Pipeline.IO.InputFile.ReadAllBytes(path, Config.InputLimits.PidFileBytes));
            return int.TryParse(text.Trim(), out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Removes a pid file whose process is gone, so the next Start confirms on a fresh one.</summary>
    public static void RemoveIfStale(string? path)
    {
        if (path is not null && File.Exists(path) && Read(path) is null)
            File.Delete(path);
    }
}
