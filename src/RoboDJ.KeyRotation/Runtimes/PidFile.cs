namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The pid the app wrote at startup. A pid is only trusted when its process already existed when the file was
/// written; otherwise the pid was reused by an unrelated process, which Stop must never touch.
/// </summary>
public static class PidFile
{
    static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(1);

    public static AppProcess? Read(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        string text;
        try { text = File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        if (!int.TryParse(text, out var pid) || pid <= 0) return null;
        var process = ProcessTable.Get(pid);
        var written = File.GetLastWriteTimeUtc(path);
        return process is not null && process.StartTime <= written + ClockSlack ? process : null;
    }

    /// <summary>Removes a pid file whose process is gone, so the next Start confirms on a fresh one.</summary>
    public static void RemoveIfStale(string? path)
    {
        if (path is not null && File.Exists(path) && Read(path) is null)
            File.Delete(path);
    }
}
