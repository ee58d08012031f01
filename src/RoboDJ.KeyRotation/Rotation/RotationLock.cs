using System.Diagnostics;
using System.Text.Json;
using Serilog;

using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// One rotation per deployment at a time. The lock file carries a heartbeat that a timer refreshes while the lock is
/// held, so a holder that died is told apart from one that is merely slow. Only a stale lock is ever taken over: its
/// holder's pid is gone on this host (taken at once, with a warning), or its heartbeat is older than the limit (only
/// with --break-lock). A fresh lock of a live holder is refused, --break-lock or not.
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
        return Parse(path, ReadText(path));
    }

    /// <summary>
    /// Throws the exception that <see cref="Acquire"/> would, without taking the lock (Preflight, dry run). Returns why the
    /// lock may be taken over (null: there is no lock).
    /// </summary>
    public static string? CheckFree(string path, TimeSpan staleAfter, bool breakLock, DateTimeOffset now) =>
        Judge(path, staleAfter, breakLock, now)?.Reason;

    public static RotationLock Acquire(string path, string env, string holder, TimeSpan staleAfter, bool breakLock)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"take the rotation lock {path}");
        var now = DateTimeOffset.UtcNow;
        if (Judge(path, staleAfter, breakLock, now) is { } stale) TakeOver(path, stale, staleAfter, breakLock);
        var info = new RotationLockInfo(holder, Environment.MachineName, Environment.ProcessId, env, now, now);
        try { AtomicFile.CreateNew(path, JsonSerializer.SerializeToUtf8Bytes(info)); }
        catch (IOException) when (File.Exists(path))
        {
            // Another run created it between our check and our link: judge it again (held, or being written), never take it.
            Judge(path, staleAfter, breakLock, DateTimeOffset.UtcNow);
            throw new RotationLockBeingWrittenException(path, TimeSpan.Zero);
        }
        return new RotationLock(path, info);
    }

    /// <summary>A lock that may be taken over: its text as judged and why.</summary>
    sealed record StaleLock(string Text, string Reason);

    /// <summary>Null when there is no lock; the stale lock to take over; otherwise throws why it is held.</summary>
    static StaleLock? Judge(string path, TimeSpan staleAfter, bool breakLock, DateTimeOffset now)
    {
        string text;
        try { text = ReadText(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        var fileAge = now - File.GetLastWriteTimeUtc(path);
        RotationLockInfo info;
        try { info = Parse(path, text); }
        catch (RotationLockCorruptException)
        {
            // The lock is written atomically, so an incomplete one is a writer we cannot see yet (or an older build's): held.
            if (fileAge <= staleAfter) throw new RotationLockBeingWrittenException(path, fileAge);
            if (!breakLock) throw;
            return new StaleLock(text, $"the lock file is unreadable and {Seconds(fileAge)} old (--break-lock)");
        }
        if (info.Host == Environment.MachineName && info.Pid != Environment.ProcessId && !IsAlive(info.Pid))
            return new StaleLock(text, $"its holder {Describe(info)} is no longer running on this host");
        var age = now - info.Heartbeat;
        if (age <= staleAfter) throw new RotationLockHeldException(path, info, age, breakLock);
        if (!breakLock) throw new StaleRotationLockException(path, info, age);
        return new StaleLock(text, $"the heartbeat of {Describe(info)} is {Seconds(age)} old, over the {Seconds(staleAfter)} limit (--break-lock)");
    }

    /// <summary>Moves the judged lock aside; if what was moved is not what was judged (a new holder won meanwhile), puts it back and refuses.</summary>
    static void TakeOver(string path, StaleLock stale, TimeSpan staleAfter, bool breakLock)
    {
        string aside;
        try { aside = ExclusiveFile.MoveAside(path); }
        catch (FileNotFoundException) { return; } // someone else took it over first; our link decides
        if (ReadText(aside) != stale.Text)
        {
            ExclusiveFile.PutBack(aside, path);
            Judge(path, staleAfter, breakLock, DateTimeOffset.UtcNow);
            throw new RotationLockBeingWrittenException(path, TimeSpan.Zero);
        }
        File.Delete(aside);
        Log.Warning("Took over the stale rotation lock {Path}: {Reason}", path, stale.Reason);
    }

    /// <summary>Another run took the lock over (this one was frozen past the stale limit): no further step may run.</summary>
    public bool Lost { get; private set; }

    void Beat()
    {
        lock (gate)
        {
            if (released) return;
            try
            {
                if (!IsOurs())
                {
                    // Someone broke our lock (we must have been frozen past the stale limit): never overwrite theirs.
                    Log.Error("The rotation lock {Path} is no longer ours ({Holder}); the heartbeat stops", path, SafeHolder(path));
                    released = true;
                    Lost = true;
                    return;
                }
                AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(acquired with { Heartbeat = DateTimeOffset.UtcNow }));
            }
            catch (IOException e) { Log.Warning("Could not refresh the rotation lock heartbeat in {Path}: {Error}", path, e.Message); }
        }
    }

    bool IsOurs()
    {
        try { return Read(path) is { } info && info.Pid == acquired.Pid && info.Host == acquired.Host && info.Acquired == acquired.Acquired; }
        catch (RotationLockCorruptException) { return false; }
    }

    public void Dispose()
    {
        bool ours;
        lock (gate)
        {
            ours = !released && IsOurs();
            released = true;
        }
        timer.Dispose();
        if (ours) File.Delete(path);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    static string ReadText(string path) => File.ReadAllText(path);

    static RotationLockInfo Parse(string path, string text)
    {
        try { return JsonSerializer.Deserialize<RotationLockInfo>(text) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new RotationLockCorruptException(path, text.Length == 0 ? "empty" : e.Message); }
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    internal static string Describe(RotationLockInfo info) => $"{info.Holder} on {info.Host} (pid {info.Pid})";

    internal static string Seconds(TimeSpan age) => $"{Math.Max(0, (int)age.TotalSeconds)} s";

    static string SafeHolder(string path)
    {
        try { return Read(path) is { } i ? Describe(i) : "no lock file"; }
        catch (RotationLockCorruptException) { return "an unreadable lock file"; }
    }
}
