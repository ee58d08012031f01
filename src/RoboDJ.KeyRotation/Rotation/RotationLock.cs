using System.Diagnostics;
using System.Text.Json;
using Serilog;

using RoboDJ.KeyRotation.Journal;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// One rotation per deployment at a time, for every topology (one host, Swarm, fleet), in three parts:
/// <list type="bullet">
/// <item>the kernel lock (<see cref="KernelLock"/>, key_rotation/rotation.fence) held for the life of the holder's
/// process: a holder that lives cannot lose its lock, paused or not;</item>
/// <item>the lock file (key_rotation/rotation.lock): holder, host, pid, env and a heartbeat a timer refreshes, for the
/// messages and Status, and the judge of a holder on another host (a shared tree on a network file system, where flock
/// may not reach);</item>
/// <item>a fencing token, one more than the last one issued: every write of the holder's flow asks
/// <see cref="ThrowIfFenced"/> (through <see cref="WriteFence"/>), and a holder whose lock file no longer carries its
/// token stops before that write. The journal records the token on each line.</item>
/// </list>
/// Only a lock that no live process can be shown to hold is ever taken over: its holder on this host is gone (taken at
/// once, with a warning); its pid lives but does not hold the kernel lock, its heartbeat is in the future, or (another
/// host) its heartbeat is older than the limit (each only with --break-lock).
/// </summary>
public sealed class RotationLock : IAsyncDisposable, IDisposable, IWriteFence
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    /// <summary>How far another host's heartbeat may run ahead of our clock before it is judged forged or skewed.</summary>
    static readonly TimeSpan FutureTolerance = TimeSpan.FromSeconds(30);

    readonly string path;
    readonly KernelLock kernel;
    readonly Timer timer;
    readonly RotationLockInfo acquired;
    readonly bool removeFolderWhenLeftEmpty;
    readonly Lock gate = new();
    bool released;
    int writesPassed;
    string? lastWrite;

    RotationLock(string path, RotationLockInfo info, KernelLock kernel, string? takenOverBecause, bool removeFolderWhenLeftEmpty)
    {
        this.path = path;
        this.kernel = kernel;
        acquired = info;
        TakenOverBecause = takenOverBecause;
        this.removeFolderWhenLeftEmpty = removeFolderWhenLeftEmpty;
        // The heartbeat's own write must not ask the fence of the flow that took the lock.
        using (ExecutionContext.SuppressFlow()) timer = new Timer(_ => Beat(), null, HeartbeatInterval, HeartbeatInterval);
    }

    public string Path => path;

    /// <summary>The fencing token of this holder.</summary>
    public long Token => acquired.Token;

    long? IWriteFence.Token => acquired.Token;

    /// <summary>Why a stale lock was taken over to get this one; null when the lock was free.</summary>
    public string? TakenOverBecause { get; }

    /// <summary>Another run took the lock over (this one was paused past the stale limit): no further write may happen.</summary>
    public bool Lost { get; private set; }

    /// <summary>The file the kernel lock is held on, beside the lock file.</summary>
    public static string KernelLockPath(string lockPath) => System.IO.Path.ChangeExtension(lockPath, ".fence");

    /// <summary>Reads the lock file; null when there is none.</summary>
    public static RotationLockInfo? Read(string path)
    {
        if (!File.Exists(path)) return null;
        return Parse(path, ReadText(path));
    }

    /// <summary>
    /// Throws the exception that <see cref="Acquire"/> would, without taking the lock or creating a file (Preflight, dry
    /// run). Returns why the lock would be taken over (null: there is no lock).
    /// </summary>
    public static string? CheckFree(string path, TimeSpan staleAfter, bool breakLock, DateTimeOffset now)
    {
        if (KernelLock.IsHeld(KernelLockPath(path))) throw HeldByALiveProcess(path, now);
        return Judge(path, staleAfter, breakLock, now)?.Reason;
    }

    /// <param name="removeFolderWhenLeftEmpty">The caller created the lock's folder for this run: releasing a lock that
    /// left nothing else in it removes it again, so a run refused before it opened a rotation creates nothing.</param>
    public static RotationLock Acquire(string path, string env, string holder, TimeSpan staleAfter, bool breakLock, bool removeFolderWhenLeftEmpty = false)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"take the rotation lock {path}");
        // key_rotation/ holds snapshots with keys: the owner's alone (0700), whatever the umask.
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var kernel = KernelLock.TryTake(KernelLockPath(path)) ?? throw HeldByALiveProcess(path, DateTimeOffset.UtcNow);
        try
        {
            var now = DateTimeOffset.UtcNow;
            var stale = Judge(path, staleAfter, breakLock, now);
            if (stale is not null) TakeOver(path, stale, staleAfter, breakLock);
            var info = new RotationLockInfo(holder, Environment.MachineName, Environment.ProcessId, env, now, now,
                Math.Max(kernel.ReadToken(), stale?.Token ?? 0) + 1);
            try { AtomicFile.CreateNew(path, JsonSerializer.SerializeToUtf8Bytes(info)); }
            catch (IOException) when (File.Exists(path))
            {
                // Another host created it between our check and our link: judge it again (held, or being written), never take it.
                Judge(path, staleAfter, breakLock, DateTimeOffset.UtcNow);
                throw new RotationLockBeingWrittenException(path, TimeSpan.Zero);
            }
            kernel.WriteToken(info.Token);
            return new RotationLock(path, info, kernel, stale?.Reason, removeFolderWhenLeftEmpty);
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>A lock that may be taken over: its text as judged, its token and why.</summary>
    sealed record StaleLock(string Text, long Token, string Reason);

    /// <summary>
    /// With the kernel lock known to be free: null when there is no lock file; the stale lock to take over; otherwise
    /// throws why it is held.
    /// </summary>
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
            return new StaleLock(text, 0, $"the lock file is unreadable and {Seconds(fileAge)} old (--break-lock)");
        }
        var age = now - info.Heartbeat;
        if (info.Host == Environment.MachineName)
        {
            // Every holder on this host holds the kernel lock for as long as it lives, and nobody does now.
            if (!IsAlive(info.Pid)) return new StaleLock(text, info.Token, $"its holder {Describe(info)} is no longer running on this host");
            var why = $"a live pid {info.Pid} that does not hold the kernel lock on {KernelLockPath(path)}, so it is not the rotation that took this lock " +
                      "(a reused pid, a copied or forged lock file, or a build from before the kernel lock)";
            if (!breakLock) throw new StaleRotationLockException(path, info, why);
            return new StaleLock(text, info.Token, $"{why} (--break-lock)");
        }
        if (age < -FutureTolerance)
        {
            var why = $"a heartbeat {Seconds(-age)} in the future ({info.Heartbeat:u}): the clock of {info.Host} runs ahead, or the file was forged";
            if (!breakLock) throw new StaleRotationLockException(path, info, why);
            return new StaleLock(text, info.Token, $"{why} (--break-lock)");
        }
        if (age <= staleAfter) throw new RotationLockHeldException(path, info, age, breakLock);
        if (!breakLock) throw new StaleRotationLockException(path, info, $"a stale heartbeat ({Seconds(age)} old)");
        return new StaleLock(text, info.Token, $"the heartbeat of {Describe(info)} is {Seconds(age)} old, over the {Seconds(staleAfter)} limit (--break-lock)");
    }

    /// <summary>A live process holds the kernel lock: the lock file's holder when there is one, else a run taking it now.</summary>
    static Exception HeldByALiveProcess(string path, DateTimeOffset now)
    {
        RotationLockInfo? info;
        try { info = Read(path); }
        catch (RotationLockCorruptException) { info = null; }
        return info is null
            ? new RotationLockBeingWrittenException(path, TimeSpan.Zero)
            : new RotationLockHeldException(path, info, now - info.Heartbeat, kernelLock: KernelLockPath(path));
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

    /// <summary>
    /// The fence: passes while the lock file still carries this holder's token, else marks the lock lost and throws.
    /// Every write of the holder's flow asks it (<see cref="WriteFence"/>), so one that was paused while another run took
    /// the lock over stops before its next write.
    /// </summary>
    public void ThrowIfFenced(string what)
    {
        if (Fenced(what) is { } lost) throw lost;
        lock (gate)
        {
            writesPassed++;
            lastWrite = what;
        }
    }

    /// <summary>
    /// Why this holder may not go on (another run took its lock over: the lock file no longer carries its token), or
    /// null. Also asked after any failure, so a run that tripped over its successor's work first says it was fenced.
    /// </summary>
    public RotationLockLostException? Fenced(string what)
    {
        lock (gate)
        {
            if (released && !Lost) return null;
            if (!Lost && IsOurs()) return null;
            Lost = true;
        }
        return new RotationLockLostException(path, Token, what, SafeHolder(path));
    }

    /// <summary>
    /// The one journal line a fenced holder writes (past the fence): a Failed line of the step it stopped in (null: the
    /// step of its last line) with what it had done under its token, the steps it ended and the writes that passed the
    /// fence. Returns that account, which is also logged.
    /// </summary>
    public string RecordFenced(RotationJournal journal, RotationStep? step, RotationLockLostException lost)
    {
        var ours = journal.Entries.Where(e => e.LockToken == Token).ToList();
        var ended = ours.Where(e => e.Phase == StepPhase.Ended && e.Step != RotationStep.Begin).Select(e => e.Step.ToString()).Distinct().ToList();
        string writes;
        lock (gate) writes = writesPassed == 0 ? "no write passed the fence" : $"{writesPassed} write(s) passed the fence, the last: {lastWrite}";
        var done = $"under lock token {Token} this run ended {(ended.Count == 0 ? "no step" : string.Join(", ", ended))}; {writes}";
        try { journal.RecordFenced(step ?? ours.LastOrDefault()?.Step ?? RotationStep.Begin, SecretRedactor.Redact(lost.Message), done); }
        catch (IOException e) { Log.Error("Could not write to the journal: {Error}", e.Message); }
        Log.Error("Fenced: {Done}. This run stops here; the rotation is the other run's now", done);
        return done;
    }

    void Beat()
    {
        lock (gate)
        {
            if (released) return;
            try
            {
                if (!IsOurs())
                {
                    // Someone broke our lock (we must have been paused past the stale limit): never overwrite theirs.
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
        try
        {
            return Read(path) is { } info && info.Pid == acquired.Pid && info.Host == acquired.Host && info.Acquired == acquired.Acquired
                   && info.Token == acquired.Token;
        }
        catch (RotationLockCorruptException) { return false; }
        catch (IOException) { return false; }
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
        // The lock file goes before the kernel lock, so a run that gets the kernel lock next finds no holder named.
        if (ours) File.Delete(path);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (ours && removeFolderWhenLeftEmpty && Directory.EnumerateFileSystemEntries(folder).All(e => System.IO.Path.GetFileName(e) == System.IO.Path.GetFileName(kernel.Path)))
        {
            kernel.Remove();
            kernel.Dispose();
            Directory.Delete(folder);
            return;
        }
        kernel.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Through the one input reader: a FIFO or a device planted as the lock file is refused as what it is, never opened
    /// (File.ReadAllText waited on a FIFO for good, deaf to SIGTERM). Missing stays FileNotFoundException for Judge.
    /// </summary>
    static string ReadText(string path)
    {
        if (!Pipeline.IO.FileStatus.Of(path).Exists) throw new FileNotFoundException($"{path}: no rotation lock", path);
        return System.Text.Encoding.UTF8.GetString(Pipeline.IO.InputFile.ReadAllBytes(path, MaxLockFileBytes, fix: NotALockFileFix(path)));
    }

    const int MaxLockFileBytes = 64 * 1024;

    internal static string NotALockFileFix(string path) =>
        $"make sure no rotation is running, then remove {path}; the next run writes a new one";

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

    internal static string Describe(RotationLockInfo info) => $"{info.Holder} on {info.Host} (pid {info.Pid})" + (info.Token > 0 ? $" with fencing token {info.Token}" : "");

    internal static string Seconds(TimeSpan age) => $"{Math.Max(0, (int)age.TotalSeconds)} s";

    static string SafeHolder(string path)
    {
        try { return Read(path) is { } i ? Describe(i) : "released (no lock file)"; }
        catch (RotationLockCorruptException) { return "an unreadable lock file"; }
    }
}
