using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runbook §1–§2: access, keys, env contract, agents, lock, journal, census; read-only. When every check passed it
    /// takes the rotation lock (not in a dry run), so that of two concurrent runs only one goes on to Announce.
    /// </summary>
    public Task<PhaseResult<Preflighted>> PreflightAsync(CancellationToken cancellationToken) => Target(RotationTargets.Preflight, async () =>
    {
        var report = await new Preflight(settings, options, store, runtime).RunAsync(cancellationToken);
        OldKeys = report.Keys;
        CensusBefore = report.Census;
        await CheckDashboardPortAsync(cancellationToken);
        var (dashboard, session) = await ProveDashboardAsync(cancellationToken);
        var appRewraps = await AppRewrapsAsync(session, report.Keys, cancellationToken);
        var lockPath = Path.GetRelativePath(Paths.Root, Paths.RotationLock);
        var locked = await Change(ChangeKind.Files, () => $"would take the rotation lock {lockPath}", async () =>
        {
            AcquireLock();
            await CheckNothingMovedBeforeTheLockAsync(report.Keys, cancellationToken);
            return $"lock {lockPath} taken" + (rotationLock?.TakenOverBecause is { } why ? $" over: {why}" : "");
        });
        var rewrapBy = appRewraps ? "the app's config saves move the fields (before Stop and in Verify)" : "offline rewrap while the app is down";
        return Result($"{report.Summary}; {dashboard}; {rewrapBy}; {locked}{await RemoveLeftoverTempFilesAsync()}", new Preflighted(report, session, appRewraps));
    });

    /// <summary>Under the lock: temp files a killed write of an earlier run left (one beside .env holds keys).</summary>
    async Task<string> RemoveLeftoverTempFilesAsync()
    {
        var leftovers = LeftoverTempFiles.Find(Scope);
        if (leftovers.Count == 0) return "";
        var shown = string.Join(", ", leftovers.Select(f => Path.GetRelativePath(Paths.Root, f)));
        return "; " + await Change(ChangeKind.Files, () => $"would overwrite and remove {leftovers.Count} temp file(s) a killed write left: {shown}", () =>
        {
            LeftoverTempFiles.Remove(leftovers);
            return Task.FromResult($"overwrote and removed {leftovers.Count} temp file(s) a killed write left: {shown}");
        });
    }

    /// <summary>
    /// Preflight read the keys before it held the lock: a rotation that ran in between would have moved them, and
    /// shifting from the stale read would drop that run's new V1. Re-read under the lock and refuse on any change.
    /// </summary>
    async Task CheckNothingMovedBeforeTheLockAsync(KeySlots read, CancellationToken cancellationToken)
    {
        var now = await store.ReadAsync(cancellationToken);
        var moved = !Equals(now.Primary, read.Primary) || !Equals(now.Secondary, read.Secondary);
        var unfinished = RotationJournal.FindUnfinished(Paths.KeyRotation);
        if (!moved && unfinished is null) return;
        ReleaseLock();
        throw new PreflightFailedException([moved
            ? $"{store.Description} changed while Preflight ran (another rotation?): V1 is now {now.Primary?.Fingerprint.ToString() ?? "absent"}. Nothing was changed; run Rotate again."
            : new UnfinishedRotationException(unfinished!).Message]);
    }

    /// <summary>Runbook §2: announce the window. Production stops here unless confirmed (KeyRotationWorkflow.Announcements.cs).</summary>
    public Task<PhaseResult<Announced>> AnnounceAsync(Preflighted preflighted, CancellationToken cancellationToken) => Target(RotationTargets.Announce, async () =>
        Result(await AnnounceWindowAsync(preflighted.OldKeys, cancellationToken), new Announced(preflighted)));

    /// <summary>Runbook §2: the pre-rotation backup, under the lock Preflight took. Opens the journal first.</summary>
    public Task<PhaseResult<OpenedRotation>> SnapshotAsync(Announced announced, CancellationToken cancellationToken) => Target(RotationTargets.Snapshot, async () =>
    {
        var preflighted = announced.Preflight;
        RotationJournal? opened = null;
        var note = await Change(ChangeKind.Files, () => Snapshots.Describe(Path.Combine(Paths.KeyRotation, "<rotation-id>", "snapshot")), async () =>
        {
            (opened, var taken) = await OpenRotationAsync(preflighted.OldKeys, preflighted.Report.Census.Undecryptable.Count, cancellationToken);
            return taken;
        });
        return Result(note, new OpenedRotation(opened, preflighted.OldKeys, preflighted.Report.Census.Undecryptable.Count, preflighted.Session, preflighted.AppRewraps));
    });

    async Task<(RotationJournal, string)> OpenRotationAsync(KeySlots oldKeys, int undecryptable, CancellationToken cancellationToken)
    {
        if (rotationLock is null) throw new InvalidOperationException("Snapshot runs only after Preflight, which takes the rotation lock.");
        var id = Journal.RotationId.New(DateTimeOffset.UtcNow);
        var opened = RotationJournal.Create(Paths.KeyRotation, id, settings.Env, actor, Facts(
            (JournalFacts.OldPrimary, oldKeys.Primary!.Fingerprint.ToString()),
            (JournalFacts.OldSecondary, oldKeys.Secondary?.Fingerprint.ToString()),
            (JournalFacts.Detail, store.Description), (AnnouncementIssueFact, AnnouncementIssue),
            (JournalFacts.UndecryptableBefore, undecryptable > 0 ? undecryptable.ToString() : null)));
        journal = opened;
        Log.Information("Rotation {Id}: journal {Path}", id, opened.FilePath);
        try { return (opened, await TakeSnapshotAsync(opened, cancellationToken)); }
        catch
        {
            // Nothing was changed yet: close the journal so that it does not block the next run as unfinished.
            TryJournal(() => opened.Ended(RotationStep.RolledBack, Facts((JournalFacts.Refused, RotationTargets.Snapshot),
                (JournalFacts.Detail, "the snapshot failed before anything was changed"))));
            ReleaseLock();
            throw;
        }
    }

    async Task<string> TakeSnapshotAsync(RotationJournal opened, CancellationToken cancellationToken)
    {
        var dir = SnapshotDir(opened.Id);
        var relative = Path.GetRelativePath(Paths.Root, dir);
        return await Step(opened, RotationStep.Snapshot, Facts((JournalFacts.Snapshot, relative)), async () =>
        {
            var manifest = await Snapshots.CreateAsync(dir, cancellationToken);
            return ($"snapshot of {manifest.Files.Count} files in {relative}", Facts((JournalFacts.Snapshot, relative)));
        }, injectAs: RotationTargets.Snapshot);
    }

    /// <summary>
    /// Runbook §3.1. Takes a dashboard session first (unless Preflight has one), for Verify's session-continuity check.
    /// When the app rewraps, its config save under the current keys comes first (KeyRotationWorkflow.SaveBeforeStop.cs).
    /// </summary>
    public Task<PhaseResult<StoppedRuntime>> StopAsync(OpenedRotation rotation, CancellationToken cancellationToken) => Target(RotationTargets.Stop, async () =>
    {
        var session = rotation.Session;
        var offline = OfflineRewrap.All;
        var notes = new List<string>();
        // AppRewraps implies Preflight's session, taken under the keys the app still runs on.
        if (rotation.AppRewraps)
            notes.Add(await Change(ChangeKind.Http, DescribeSaveBeforeStop, async () =>
            {
                (offline, var saved) = await SaveBeforeStopAsync(rotation, session!, cancellationToken);
                return saved;
            }));
        notes.Add(await Change(ChangeKind.Process, () => runtime.DescribeStopAsync(cancellationToken), async () =>
        {
            session ??= await TakeSessionBeforeStopAsync(cancellationToken);
            var stopped = await StopRuntimeAsync(rotation.OpenJournal, RotationTargets.Stop, cancellationToken);
            offline = offline.WithFilesChangedSinceTheSave(Scope.ConfigJsonFiles(), out var changed);
            if (changed > 0)
                Log.Warning("{Count} config file(s) were written after the app's save before Stop; Rotate rewraps them offline too", changed);
            return stopped;
        }));
        var note = string.Join("; ", notes);
        // A dry run saves nothing, so its Rotate describes the rewrap of everything: the most a real run could do.
        return Result(note, new StoppedRuntime(rotation, session, offline));
    });

    Task<string> StopRuntimeAsync(RotationJournal open, string injectAs, CancellationToken cancellationToken)
    {
        // A run cancelled before the app stops never journals the stop, so Rollback knows the app kept running.
        cancellationToken.ThrowIfCancellationRequested();
        return Step(open, RotationStep.Stop, null, async () =>
        {
            var report = await runtime.StopAsync(cancellationToken);
            return (report.Summary, Facts((JournalFacts.Detail, report.Summary)));
        }, injectAs);
    }

    /// <summary>Runbook §3.2: V2 := V1, V1 := new key, one atomic store write, then the rewrap while the app is down.</summary>
    public Task<PhaseResult<RotatedKeys>> RotateAsync(StoppedRuntime stopped, CancellationToken cancellationToken) => Target(RotationTargets.Rotate, async () =>
    {
        var old = stopped.Rotation.OldKeys;
        var next = NewPrimaryDifferentFrom(old);
        var note = await Change(settings.Store == StoreKind.DotEnv ? ChangeKind.Files : ChangeKind.GitHub, () => DescribeRotate(old, next, stopped.Rotation.AppRewraps), async () =>
        {
            var open = stopped.Rotation.OpenJournal;
            Snapshots.AddFilesNewSinceSnapshot(SnapshotDir(open.Id));
            await ShiftAsync(open, old, next, cancellationToken);
            if (options.Rewrap && !stopped.OfflineRewrap.IsNone) return await RewrapAsync(open, old, next, RotationTargets.Rotate, stopped.OfflineRewrap);
            Inject(RotationTargets.Rotate);
            return $"V1 {next.Fingerprint}, V2 {old.Primary?.Fingerprint}; " + (stopped.Rotation.AppRewraps
                ? "no offline rewrap: the app rewrote every file with fields before Stop, and Verify's save moves them to the new V1"
                : "rewrap off (Preflight found no field only V2 opens)");
        });
        return Result(note, new RotatedKeys(stopped, next));
    });

    string DescribeRotate(KeySlots old, FernetKey next, bool appRewraps)
    {
        var census = CensusBefore;
        var counts = census is null ? "" : appRewraps ? $"; would rewrap offline only the files the app's save before Stop did not rewrite; Verify's config save would move the rest of the {census.Decryptable} field(s) to the new V1"
            : $"; would rewrap {census.Decryptable} field(s) under the new V1 " +
              $"({census.UnderPrimary} under V1, {census.UnderSecondary} under V2), {census.Undecryptable.Count} undecryptable left as they are";
        return store.DescribeWrite(new KeySlots(next, old.Primary)) + " (V1 is a fresh key, shown by fingerprint only)" + counts;
    }

    static FernetKey NewPrimaryDifferentFrom(KeySlots old)
    {
        while (true)
        {
            var key = FernetKey.Generate();
            if (!key.Equals(old.Primary) && !key.Equals(old.Secondary)) return key;
        }
    }

    async Task ShiftAsync(RotationJournal open, KeySlots old, FernetKey next, CancellationToken cancellationToken)
    {
        await Step(open, RotationStep.Shift, Facts((JournalFacts.NewPrimary, next.Fingerprint.ToString())), async () =>
        {
            await store.WriteAsync(new KeySlots(next, old.Primary), cancellationToken);
            NewKey = next;
            return (true, Facts((JournalFacts.NewPrimary, next.Fingerprint.ToString()), (JournalFacts.OldSecondary + "_dropped", old.Secondary?.Fingerprint.ToString())));
        });
    }

    /// <summary>The ring holds the old V2 too: fields only it opens must move to the new V1 before it is gone for good.</summary>
    Task<string> RewrapAsync(RotationJournal open, KeySlots old, FernetKey next, string injectAs, OfflineRewrap files) =>
        Step(open, RotationStep.Rewrap, null, () =>
        {
            var keys = new List<FernetKey> { next };
            if (old.Primary is not null) keys.Add(old.Primary);
            if (old.Secondary is not null) keys.Add(old.Secondary);
            var report = Rewrap.Run(Snapshots.ScopeAsSnapshotted(SnapshotDir(open.Id)), new KeyRing(keys.Distinct().ToArray()), only: files.Only);
            return Task.FromResult<(string, IReadOnlyDictionary<string, string>?)>((
                $"V1 {next.Fingerprint}, V2 {old.Primary?.Fingerprint}; {report.Summary}" + (files.Only is null ? "" : $" ({files.Describe})"),
                Facts((JournalFacts.Rewrapped, report.Rewrapped.ToString()), (JournalFacts.Detail, report.Summary))));
        }, injectAs);

    /// <summary>Runbook §3.3. Records the startup log's offset first, so Verify reads only what this start writes.</summary>
    public Task<PhaseResult<StartedRuntime>> StartAsync(RotatedKeys rotated, CancellationToken cancellationToken) => Target(RotationTargets.Start, async () =>
    {
        var offset = StartupLog.CurrentOffset();
        IReadOnlySet<int> pids = new HashSet<int>();
        var note = await Change(ChangeKind.Process, () => runtime.DescribeStart() + $"; would then wait for \"{StartupLog.PassText}\" after byte {offset} of {Paths.StartupLog}", async () =>
        {
            (offset, pids, var started) = await StartRuntimeAsync(rotated.Rotation.OpenJournal, RotationTargets.Start, cancellationToken);
            return started;
        });
        return Result(note, new StartedRuntime(rotated, offset, pids));
    });

    async Task<(long Offset, IReadOnlySet<int> Pids, string Note)> StartRuntimeAsync(RotationJournal open, string injectAs, CancellationToken cancellationToken)
    {
        var offset = StartupLog.CurrentOffset();
        // StartedAt of each unit must come after this; a second of slack covers clocks that round down.
        var notBefore = DateTimeOffset.UtcNow.AddSeconds(-1);
        return await Step(open, RotationStep.Start, Facts((JournalFacts.LogOffset, offset.ToString()), (JournalFacts.StartedAt, notBefore.ToString("O"))), async () =>
        {
            var (report, pids) = await StartTrackedAsync(notBefore, cancellationToken);
            return ((offset, pids, report.Summary), Facts((JournalFacts.Detail, report.Summary), (LaunchedFact, LaunchedFactValue())));
        }, injectAs);
    }
}
