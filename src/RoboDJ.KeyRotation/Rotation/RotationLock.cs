using System.Diagnostics;
using System.Text.Json;
using RoboDJ.KeyRotation.Snapshots;
using Serilog;

using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// One rotation per deployment at a time. The lock file carries a heartbeat that a timer refreshes while the lock is
/// held, so a holder that died is told apart from one that is merely slow. A holder on this host whose pid is gone is
/// taken over with a warning (it cannot be running); anything else stale needs --break-lock.
/// </summary>
public sealed class RotationLock : IAsyncDisposable, IDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    readonly string path;
    readonly Timer timer;
    readonly RotationLockInfo acquired;
    readonly Lock gate = new();
    bool released;

    RotationLock(string path, RotationLockInfo info)
    {
        this.path = path;
        acquired = info;
        timer = new Timer(_ => Beat(), null, HeartbeatInterval, HeartbeatInterval);
    }

    public string Path => path;

    /// <summary>Reads the lock file; null when there is none.</summary>
    public static RotationLockInfo? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RotationLockInfo>(File.ReadAllText(path)) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new RotationLockCorruptException(path, e.Message); }
    }

    /// <summary>Throws the exception that <see cref="AcquireAsync"/> would, without taking the lock (Preflight, dry run).</summary>
    public static void CheckFree(string path, TimeSpan staleAfter, bool breakLock, DateTimeOffset now)
    {
        RotationLockInfo? info;
        try { info = Read(path); }
        catch (RotationLockCorruptException) when (breakLock) { return; }
        if (info is null || breakLock || HolderIsDeadHere(info)) return;
        var age = now - info.Heartbeat;
        if (age <= staleAfter) throw new RotationLockHeldException(path, info);
        throw new StaleRotationLockException(path, info, age);
    }

    public static RotationLock Acquire(string path, string env, string holder, TimeSpan staleAfter, bool breakLock)
    {
        var now = DateTimeOffset.UtcNow;
        CheckFree(path, staleAfter, breakLock, now);
        if (File.Exists(path))
        {
            Log.Warning("Breaking the rotation lock {Path} left by {Holder}", path, SafeHolder(path));
            File.Delete(path);
        }
        var info = new RotationLockInfo(holder, Environment.MachineName, Environment.ProcessId, env, now, now);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            // CreateNew is the mutual exclusion: two runs racing past CheckFree cannot both create the file.
            using var stream = new FileStream(path, FileModes.CreateNewPrivate());
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(info));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new RotationLockHeldException(path, Read(path) ?? info);
        }
        return new RotationLock(path, info);
    }

    void Beat()
    {
        lock (gate)
        {
            if (released) return;
            try { AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(acquired with { Heartbeat = DateTimeOffset.UtcNow })); }
            catch (IOException e) { Log.Warning("Could not refresh the rotation lock heartbeat in {Path}: {Error}", path, e.Message); }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (released) return;
            released = true;
        }
        timer.Dispose();
        if (Read(path) is { } info && info.Pid == acquired.Pid && info.Host == acquired.Host) File.Delete(path);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    static bool HolderIsDeadHere(RotationLockInfo info)
    {
        if (info.Host != Environment.MachineName || info.Pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(info.Pid);
            return process.HasExited;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    static string SafeHolder(string path)
    {
        try { return Read(path) is { } i ? $"{i.Holder} on {i.Host} (pid {i.Pid})" : "nobody"; }
        catch (RotationLockCorruptException) { return "an unreadable lock file"; }
    }
}
