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
    public Task<string> PreflightAsync(CancellationToken cancellationToken) => Target("Preflight", async () =>
    {
        preflight = await new Preflight(settings, options, store, runtime).RunAsync(cancellationToken);
        oldKeys = preflight.Keys;
        await CheckDashboardPortAsync(cancellationToken);
        var dashboard = await ProveDashboardAsync(cancellationToken);
        var lockPath = Path.GetRelativePath(Paths.Root, Paths.RotationLock);
        var locked = await Change(ChangeKind.Files, () => $"would take the rotation lock {lockPath}" +
            (KeyRotationLayout.IsPending(Paths) ? $", after moving what {KeyRotationLayout.DescribePending(Paths)}" : ""), async () =>
        {
            AcquireLock();
            await CheckNothingMovedBeforeTheLockAsync(cancellationToken);
            return $"lock {lockPath} taken";
        });
        return $"{preflight.Summary}; {dashboard}; {locked}{await RemoveLeftoverTempFilesAsync()}";
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
    async Task CheckNothingMovedBeforeTheLockAsync(CancellationToken cancellationToken)
    {
        var now = await store.ReadAsync(cancellationToken);
        var moved = !Equals(now.Primary, preflight!.Keys.Primary) || !Equals(now.Secondary, preflight.Keys.Secondary);
        var unfinished = RotationJournal.FindUnfinished(Paths.KeyRotation);
        if (!moved && unfinished is null) return;
        ReleaseLock();
        throw new PreflightFailedException([moved
            ? $"{store.Description} changed while Preflight ran (another rotation?): V1 is now {now.Primary?.Fingerprint.ToString() ?? "absent"}. Nothing was changed; run Rotate again."
            : new UnfinishedRotationException(unfinished!).Message]);
    }

    /// <summary>Runbook §2: announce the window. Production stops here unless confirmed (KeyRotationWorkflow.Announcements.cs).</summary>
    public Task<string> AnnounceAsync(CancellationToken cancellationToken) => Target("Announce", () => AnnounceWindowAsync(cancellationToken));

    KeySlots Keys => oldKeys ?? throw new InvalidOperationException("Preflight has not read the keys; run the rotation from Preflight on.");

    /// <summary>Runbook §2: the pre-rotation backup, under the lock Preflight took. Opens the journal first.</summary>
    public Task<string> SnapshotAsync(CancellationToken cancellationToken) => Target("Snapshot", async () =>
    {
        var note = await Change(ChangeKind.Files, () => Snapshots.Describe(Path.Combine(Paths.KeyRotation, "<rotation-id>", "snapshot")),
            () => OpenRotationAsync(cancellationToken));
        rotationOpened = true;
        return note;
    });

    async Task<string> OpenRotationAsync(CancellationToken cancellationToken)
    {
        if (rotationLock is null) throw new InvalidOperationException("Snapshot runs only after Preflight, which takes the rotation lock.");
        var id = Journal.RotationId.New(DateTimeOffset.UtcNow);
        journal = RotationJournal.Create(Paths.KeyRotation, id, settings.Env, actor, Facts(
            (JournalFacts.OldPrimary, Keys.Primary!.Fingerprint.ToString()),
            (JournalFacts.OldSecondary, Keys.Secondary?.Fingerprint.ToString()),
            (JournalFacts.Detail, store.Description), (AnnouncementIssueFact, AnnouncementIssue)));
        Log.Information("Rotation {Id}: journal {Path}", id, journal.FilePath);
        try { return await TakeSnapshotAsync(cancellationToken); }
        catch
        {
            // Nothing was changed yet: close the journal so that it does not block the next run as unfinished.
            TryJournal(() => journal.Ended(RotationStep.RolledBack, Facts((JournalFacts.Detail, "the snapshot failed before anything was changed"))));
            ReleaseLock();
            throw;
        }
    }

    async Task<string> TakeSnapshotAsync(CancellationToken cancellationToken)
    {
        var dir = SnapshotDir(journal!.Id);
        var relative = Path.GetRelativePath(Paths.Root, dir);
        return await Step(RotationStep.Snapshot, Facts((JournalFacts.Snapshot, relative)), async () =>
        {
            var manifest = await Snapshots.CreateAsync(dir, cancellationToken);
            return ($"snapshot of {manifest.Files.Count} files in {relative}", Facts((JournalFacts.Snapshot, relative)));
        }, injectAs: "Snapshot");
    }

    /// <summary>Runbook §3.1. Takes a dashboard session first, for Verify's session-continuity check.</summary>
    public Task<string> StopAsync(CancellationToken cancellationToken) => Target("Stop", () =>
        Change(ChangeKind.Process, () => runtime.DescribeStopAsync(cancellationToken), async () =>
        {
            await TakeSessionBeforeStopAsync(cancellationToken);
            return await StopRuntimeAsync("Stop", cancellationToken);
        }));

    Task<string> StopRuntimeAsync(string injectAs, CancellationToken cancellationToken) =>
        Step(RotationStep.Stop, null, async () =>
        {
            var report = await runtime.StopAsync(cancellationToken);
            return (report.Summary, Facts((JournalFacts.Detail, report.Summary)));
        }, injectAs);

    /// <summary>Runbook §3.2: V2 := V1, V1 := new key, one atomic store write, then the rewrap while the app is down.</summary>
    public Task<string> RotateAsync(CancellationToken cancellationToken) => Target("Rotate", () =>
        Change(settings.Store == StoreKind.DotEnv ? ChangeKind.Files : ChangeKind.GitHub, DescribeRotate, () => ShiftAndRewrapAsync(cancellationToken)));

    async Task<string> ShiftAndRewrapAsync(CancellationToken cancellationToken)
    {
        var old = Keys;
        Snapshots.AddFilesNewSinceSnapshot(SnapshotDir(journal!.Id));
        await ShiftAsync(old, cancellationToken);
        if (options.Rewrap) return await RewrapAsync(old, "Rotate");
        Inject("Rotate");
        return $"V1 {newPrimary!.Fingerprint}, V2 {old.Primary?.Fingerprint}; rewrap off (Preflight found no field only V2 opens)";
    }

    string DescribeRotate()
    {
        var next = NewPrimaryDifferentFrom(Keys);
        var census = preflight?.Census;
        var counts = census is null ? "" : $"; would rewrap {census.Decryptable} field(s) under the new V1 " +
            $"({census.UnderPrimary} under V1, {census.UnderSecondary} under V2), {census.Undecryptable.Count} undecryptable left as they are";
        return store.DescribeWrite(new KeySlots(next, Keys.Primary)) + " (V1 is a fresh key, shown by fingerprint only)" + counts;
    }

    static FernetKey NewPrimaryDifferentFrom(KeySlots old)
    {
        while (true)
        {
            var key = FernetKey.Generate();
            if (!key.Equals(old.Primary) && !key.Equals(old.Secondary)) return key;
        }
    }

    async Task ShiftAsync(KeySlots old, CancellationToken cancellationToken)
    {
        var next = NewPrimaryDifferentFrom(old);
        await Step(RotationStep.Shift, Facts((JournalFacts.NewPrimary, next.Fingerprint.ToString())), async () =>
        {
            await store.WriteAsync(new KeySlots(next, old.Primary), cancellationToken);
            newPrimary = next;
            return (true, Facts((JournalFacts.NewPrimary, next.Fingerprint.ToString()), (JournalFacts.OldSecondary + "_dropped", old.Secondary?.Fingerprint.ToString())));
        });
    }

    /// <summary>The ring holds the old V2 too: fields only it opens must move to the new V1 before it is gone for good.</summary>
    Task<string> RewrapAsync(KeySlots old, string injectAs) =>
        Step(RotationStep.Rewrap, null, () =>
        {
            var keys = new List<FernetKey> { newPrimary! };
            if (old.Primary is not null) keys.Add(old.Primary);
            if (old.Secondary is not null) keys.Add(old.Secondary);
            var report = Rewrap.Run(Scope, new KeyRing(keys.Distinct().ToArray()));
            return Task.FromResult<(string, IReadOnlyDictionary<string, string>?)>((
                $"V1 {newPrimary!.Fingerprint}, V2 {old.Primary?.Fingerprint}; {report.Summary}",
                Facts((JournalFacts.Rewrapped, report.Rewrapped.ToString()), (JournalFacts.Detail, report.Summary))));
        }, injectAs);

    /// <summary>Runbook §3.3. Records the startup log's offset first, so Verify reads only what this start writes.</summary>
    public Task<string> StartAsync(CancellationToken cancellationToken) => Target("Start", () =>
        Change(ChangeKind.Process, () => runtime.DescribeStart() + $"; would then wait for \"{StartupLog.PassText}\" after byte {StartupLog.CurrentOffset()} of {Paths.StartupLog}",
            () => StartRuntimeAsync("Start", cancellationToken)));

    async Task<string> StartRuntimeAsync(string injectAs, CancellationToken cancellationToken)
    {
        logOffset = StartupLog.CurrentOffset();
        // StartedAt of each unit must come after this; a second of slack covers clocks that round down.
        var notBefore = DateTimeOffset.UtcNow.AddSeconds(-1);
        return await Step(RotationStep.Start, Facts((JournalFacts.LogOffset, logOffset.ToString()), (JournalFacts.StartedAt, notBefore.ToString("O"))), async () =>
        {
            var (report, pids) = await StartTrackedAsync(notBefore, cancellationToken);
            startedPids = pids;
            return (report.Summary, Facts((JournalFacts.Detail, report.Summary), (LaunchedFact, LaunchedFactValue())));
        }, injectAs);
    }

    /// <summary>
    /// Runbook §4. After a rotation in this process: the PASS after Start's offset, the dashboard (pre-Stop session,
    /// fresh login, config save) and a census with every field under the new V1. Alone: a read-only check of the live deployment.
    /// </summary>
    public Task<string> VerifyAsync(CancellationToken cancellationToken) => Target("Verify", async () =>
    {
        if (!rotationOpened && journal is null) return await VerifyLiveAsync(cancellationToken);
        return await Change(ChangeKind.Http,
            () => $"would wait for \"{StartupLog.PassText}\" after the offset Start records, log in to the dashboard, save the config and take a census, then {Retention.Describe()}",
            () => VerifyAndCompleteAsync(cancellationToken));
    });

    async Task<string> VerifyAndCompleteAsync(CancellationToken cancellationToken)
    {
        var note = await Step(RotationStep.Verify, null, async () =>
        {
            var result = await VerifyRotationAsync(cancellationToken);
            return (result, Facts((JournalFacts.Detail, result)));
        }, injectAs: "Verify");
        journal!.Ended(RotationStep.Completed, Facts((JournalFacts.NewPrimary, newPrimary?.Fingerprint.ToString())));
        var retention = await ApplyRetentionAsync(journal, cancellationToken);
        ReleaseLock();
        return $"{note}; {retention}";
    }

    async Task<string> VerifyRotationAsync(CancellationToken cancellationToken)
    {
        var progress = new Progress<string>(p => Log.Information("{Progress}", p));
        var pass = await StartupLog.WaitForPassAsync(logOffset, settings.VerifyTimeout, progress, cancellationToken,
            new PassExpectation(startedPids, newPrimary?.Fingerprint.ToString()));
        Log.Information("Startup log: {Line}", pass.Line);
        var dashboard = await CheckDashboardAsync(saveConfig: true, cancellationToken);
        var census = CensusUnderNewPrimary();
        return $"PASS after byte {logOffset}; {dashboard}; {census}";
    }

    /// <summary>Every field the rotation could open must now open with V1 alone.</summary>
    string CensusUnderNewPrimary()
    {
        var current = store.ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
        var v1 = current.Primary ?? throw new VerificationFailedException($"{store.Description} has no V1 after the rotation.");
        if (newPrimary is not null && !v1.Equals(newPrimary))
            throw new VerificationFailedException($"{store.Description} holds V1 {v1.Fingerprint}, not the new {newPrimary.Fingerprint}.");
        var census = Census.Take(Scope, new KeyRing(v1));
        var allowed = preflight?.Census.Undecryptable.Count ?? 0;
        var notUnderV1 = census.Total - census.UnderPrimary;
        if (notUnderV1 > allowed)
            throw new VerificationFailedException($"{notUnderV1} field(s) do not open with the new V1 {v1.Fingerprint}: " +
                string.Join(", ", census.Examples.Where(f => f.KeyIndex != 0).Take(5).Select(f => $"config/{f.File} {f.JsonPath}")));
        return $"census: {census.UnderPrimary} field(s) under the new V1 {v1.Fingerprint}" + (allowed > 0 ? $", {allowed} undecryptable as before" : "");
    }

    /// <summary>Verify alone: a live deployment checked without changing it (no config save).</summary>
    async Task<string> VerifyLiveAsync(CancellationToken cancellationToken)
    {
        var status = await runtime.StatusAsync(cancellationToken);
        if (!status.AnyRunning) throw new VerificationFailedException($"{runtime.Description} is not running. Start it, or run Rollback if a rotation failed.");
        var last = await StartupLog.LastCheckAsync(1 << 20, cancellationToken)
            ?? throw new VerificationFailedException($"{Paths.StartupLog} has no \"Key presence/integrity check\" line in its last MiB.");
        if (!last.Passed) throw new VerificationFailedException($"{Paths.StartupLog}: the latest key check failed: {last.Line}");
        var keys = await store.ReadAsync(cancellationToken);
        if (keys.Primary is null) throw new MissingKeyException(store.Description, KeySlots.PrimaryName);
        CheckLatestPassIsTheRunningApps(last, status, keys.Primary.Fingerprint.ToString());
        var ring = keys.Secondary is null ? new KeyRing(keys.Primary) : new KeyRing(keys.Primary, keys.Secondary);
        var census = Census.Take(Scope, ring);
        census.ThrowIfUndecryptable();
        if (census.UnderSecondary > 0)
            Log.Warning("{Count} field(s) still open only with V2; the next rotation rewraps them", census.UnderSecondary);
        var dashboard = await CheckDashboardAsync(saveConfig: false, cancellationToken);
        return $"{runtime.Description} running; latest key check PASS; {dashboard}; {census.Summary}";
    }

    /// <summary>Verify alone: the latest PASS must be of an app that runs now (desktop pids) and report the store's V1.</summary>
    void CheckLatestPassIsTheRunningApps(StartupCheck last, RuntimeStatus status, string v1)
    {
        var pids = runtime is ITracksLaunches
            ? status.Units.Select(u => int.TryParse(u.Id, out var pid) ? pid : 0).Where(pid => pid > 0).ToHashSet()
            : [];
        using var line = System.Text.Json.JsonDocument.Parse(last.Line);
        var verdict = new PassExpectation(pids, v1).Judge(line.RootElement, passed: true);
        if (verdict.What != LineVerdict.Kind.Counts)
            throw new VerificationFailedException($"{Paths.StartupLog}: the latest PASS line does not prove the running app: {verdict.Why}.");
        if (verdict.Why is { } warning) Log.Warning("{Path}: {Warning}", Paths.StartupLog, warning);
    }
}
