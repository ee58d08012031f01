using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The runbook, a method per target. Each target takes the value the previous one returned (RotationPhases.cs), so
/// the keys, the journal, the log offset and the session flow as values in the order the runbook gives them. What the
/// workflow itself keeps is the run's record for Rollback and the reports: the open rotation, the failure, the facts.
/// Every change goes through <see cref="Effects"/>, so under --dry-run the same code records what it would change
/// and changes nothing.
/// </summary>
public sealed partial class KeyRotationWorkflow(DeploymentSettings settings, RunOptions options, ISecretStore store, IRuntime runtime) : IDisposable, IWriteFence
{
    readonly string actor = Actor.Current();
    RotationLock? rotationLock;
    /// <summary>The rotation this run opened, resumed or rolls back: what Rollback and the reports continue.</summary>
    RotationJournal? journal;

    DeploymentPaths Paths => settings.Paths;

    /// <summary>The door every change goes through: a real run acts, a dry run records (the record is its preview).</summary>
    public IEffects Effects => options.Effects;

    public DeploymentSettings Settings => settings;
    public RotationId? RotationId => journal?.Id;
    public string? JournalPath => journal?.FilePath;
    /// <summary>The first target that failed, and why.</summary>
    public string? FailedTarget { get; private set; }
    public Exception? Failure { get; private set; }
    public string? PostmortemPath { get; private set; }
    /// <summary>
    /// A rotation of this run is open and unfinished: a target from Stop on failed, or the build was cancelled between
    /// targets (then no target failed, yet the keys may already be shifted with the app down).
    /// </summary>
    public bool NeedsRollback => journal is not null && !journal.IsFinished && !Fenced;
    /// <summary>
    /// Another run took this run's lock over while it was paused (<see cref="RotationLock.ThrowIfFenced"/>): it stopped
    /// before its next write, and the rotation is that run's now, so this one neither rolls back nor writes anything more.
    /// </summary>
    public bool Fenced => rotationLock?.Lost == true;
    /// <summary>
    /// This run's rotation was closed as refused before it changed anything: its snapshot failed, the app's save before
    /// Stop refused, or Rollback found it ended before Stop (<see cref="JournalFacts.Refused"/> on its last line).
    /// </summary>
    public bool RefusedBeforeAnyChange => journal is { IsFinished: true } j && j.Fact(JournalFacts.Refused) is not null;
    /// <summary>No other target ran in this process: Rollback (or Verify) was asked for by hand.</summary>
    public bool InvokedAlone => FailedTarget is null && targetsRun.Count == 0;
    readonly List<string> targetsRun = [];

    /// <summary>A target outside the workflow (e.g. the sandbox setup) failed: no manual Rollback may follow in this run.</summary>
    public void RecordFailure(string target, Exception error)
    {
        if (FailedTarget is null) { FailedTarget = target; Failure = error; }
    }

    /// <summary>Runs one target's body; a failure is remembered (for Rollback) and journaled, then rethrown.</summary>
    async Task<string> Target(string name, Func<Task<string>> body) => (await Target(name, async () => new PhaseResult<bool>(await body(), true))).Note;

    async Task<PhaseResult<T>> Target<T>(string name, Func<Task<PhaseResult<T>>> body)
    {
        targetsRun.Add(name);
        try
        {
            using var guard = Effects.Guard();
            using var fence = WriteFence.Enter(this);
            var result = await body();
            var note = SecretRedactor.Redact(result.Note);
            Log.Debug("{Target}: {Note}", name, note); // the summary table shows it; once is enough on the console
            return result with { Note = note };
        }
        // Whatever stopped the target, a run whose lock was taken over says so: the rotation is the other run's now.
        catch (Exception e) when ((e as RotationLockLostException ?? rotationLock?.Fenced($"going on after {name} failed: {SecretRedactor.Redact(e.Message)}")) is { } lost)
        {
            if (FailedTarget is null) { FailedTarget = name; Failure = lost; }
            RecordFenced(lost, step: null);
            if (lost == e) throw;
            throw lost;
        }
        catch (Exception e)
        {
            if (FailedTarget is null) { FailedTarget = name; Failure = e; }
            throw;
        }
    }

    // Every write of a target's flow (files, journal lines) passes the lock it holds, if any (KeyRotationWorkflow.Fence.cs).
    long? IWriteFence.Token => rotationLock?.Token;
    void IWriteFence.ThrowIfFenced(string what) => rotationLock?.ThrowIfFenced(what);

    /// <summary>Journals a step's start, runs it, gives the test hook its chance, and journals the end (or the failure).</summary>
    async Task<T> Step<T>(RotationJournal j, RotationStep step, IReadOnlyDictionary<string, string>? startFacts, Func<Task<(T Result, IReadOnlyDictionary<string, string>? Facts)>> body, string? injectAs = null)
    {
        j.Started(step, startFacts);
        try
        {
            var (result, facts) = await body();
            if (injectAs is not null && options.FaultInjector?.Invoke(injectAs) is { } injected) throw injected;
            j.Ended(step, facts);
            return result;
        }
        catch (RotationLockLostException lost)
        {
            RecordFenced(lost, step);
            throw;
        }
        catch (Exception e)
        {
            TryJournal(() => j.Failed(step, SecretRedactor.Redact(e.Message)));
            throw;
        }
    }

    /// <summary>The current target's changes, through <see cref="Effects"/>; the note of a dry run is the description.</summary>
    Task<string> Change(ChangeKind kind, Func<Task<string>> describe, Func<Task<string>> apply) =>
        Effects.ApplyAsync(targetsRun[^1], kind, describe, apply, what => what);

    Task<string> Change(ChangeKind kind, Func<string> describe, Func<Task<string>> apply) =>
        Change(kind, () => Task.FromResult(describe()), apply);

    static PhaseResult<T> Result<T>(string note, T value) => new(note, value);

    void Inject(string target)
    {
        if (options.FaultInjector?.Invoke(target) is { } injected) throw injected;
    }

    static void TryJournal(Action write)
    {
        try { write(); }
        catch (IOException e) { Log.Error("Could not write to the journal: {Error}", e.Message); }
    }

    static Dictionary<string, string> Facts(params (string Key, string? Value)[] facts) =>
        facts.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!);

    string SnapshotDir(RotationId id) => Paths.SnapshotDirectory(id);

    DeploymentScope Scope => settings.Scope;

    SnapshotRetention Retention => new(Scope, options.KeepSnapshots);

    SnapshotStore Snapshots => new(Scope) { Python = options.Python ?? (OperatingSystem.IsWindows() ? "python" : "python3") };

    StartupLog StartupLog => new(Paths.StartupLog);

    void AcquireLock()
    {
        if (rotationLock is not null) return;
        var created = !Directory.Exists(Paths.KeyRotation);
        rotationLock = RotationLock.Acquire(Paths.RotationLock, settings.Env, actor, settings.LockStaleAfter, options.BreakLock,
            removeFolderWhenLeftEmpty: created);
    }

    void ReleaseLock()
    {
        rotationLock?.Dispose();
        rotationLock = null;
    }

    public void Dispose() => ReleaseLock();
}
