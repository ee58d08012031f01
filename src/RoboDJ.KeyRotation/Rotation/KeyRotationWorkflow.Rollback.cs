using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    /// <summary>
    /// Runbook §5: stop, restore both slots and the config from the snapshot (hashes checked first), start, verify
    /// against the old keys, write the postmortem. After a failure in this process it rolls back that rotation; alone,
    /// the unfinished one, else the latest. Throws <see cref="RollbackFailedException"/> when a person must step in.
    /// </summary>
    public Task<string> RollbackAsync(CancellationToken cancellationToken) => Target(RotationTargets.Rollback, async () =>
    {
        var journals = Paths.KeyRotation;
        var target = journal ?? RotationJournal.FindUnfinished(journals) ?? RotationJournal.FindLatest(journals)
            ?? throw new NothingToRollBackException(journals);
        PhasedJournalException.ThrowIf(target, RotationTargets.Rollback);
        // Restoring the snapshot of a rotation that changed nothing would only revert the edits made since.
        if (journal is null && target.IsFinished && target.Fact(JournalFacts.Refused) is { } refusedAt)
            throw new NothingToRollBackException(target, refusedAt);
        var failedTarget = FailedTarget ?? (journal is null ? "none (rollback requested by hand)" : "none: the build was cancelled before the rotation finished");
        var error = Failure is null ? "none" : SecretRedactor.Redact(Failure.Message);
        // By hand, the app may be running fine: a refusal must come before the lock, the journal and the Stop.
        if (journal is null) await CheckRollbackInputsAsync(target, cancellationToken);
        return await Change(ChangeKind.Process,
            () => $"would stop {runtime.Description}, " + (target.HasEnded(RotationStep.Snapshot) ? Snapshots.DescribeRestore(SnapshotDir(target.Id)) : "restore nothing (no snapshot)") +
                  $", start it, verify against the old keys and write {Postmortem.PathFor(Paths, target.Id, DateTimeOffset.UtcNow)}",
            async () =>
            {
                // Before anything touches the target's journal: a rollback by hand must not mark a live rotation of
                // another run as failed, nor write a postmortem or an incident for it. Refused, it changes nothing.
                if (rotationLock is null) AcquireLock();
                var ofThisRun = journal is not null;
                if (!ofThisRun)
                {
                    // Again under the lock, where no other run can change the inputs any more; a refusal still changed nothing.
                    try { await CheckRollbackInputsAsync(target, cancellationToken); }
                    catch (GateRefusedException) { ReleaseLock(); throw; }
                }
                journal = target;
                // An operator's Ctrl-C must not stop the rollback half-way: it runs to its own timeouts.
                _ = cancellationToken;
                if (ofThisRun && await EndedBeforeStopAsync(target) is { } census) return CloseUnrotated(target, census);
                return await RollBackAsync(target, failedTarget, error, inputsChecked: !ofThisRun);
            });
    });

    /// <summary>
    /// This run's rotation ended before its Stop step began (Ctrl-C or a failure during the app's save before Stop, or
    /// between Snapshot and Stop): no key was shifted and the app never stopped, so a restore would only cost an outage
    /// and revert what the app saved since the snapshot. The census under the current keys, or null when a rollback
    /// is needed after all: the Stop step began, the store holds other keys than the journal's, a unit of the app does
    /// not run (the rollback starts it), a field no longer opens or one that opened is gone (the snapshot holds it), or
    /// any of this cannot be told.
    /// </summary>
    async Task<string?> EndedBeforeStopAsync(RotationJournal target)
    {
        if (target.Entries.Any(e => e.Step == RotationStep.Stop) || OldKeys is null || CensusBefore is null) return null;
        try
        {
            using var timeout = new CancellationTokenSource(settings.StopTimeout);
            var keys = await store.ReadAsync(timeout.Token);
            if (keys.Primary?.Fingerprint != OldKeys.Primary?.Fingerprint || keys.Secondary?.Fingerprint != OldKeys.Secondary?.Fingerprint) return null;
            var status = await runtime.StatusAsync(timeout.Token);
            if (status.Units.Count == 0 || !status.Units.All(u => u.Running)) return null;
            var census = Census.Take(Scope, Ring(OldKeys));
            var lostBefore = CensusBefore.Undecryptable.Select(f => (f.File, f.JsonPath)).ToHashSet();
            if (census.Undecryptable.Any(f => !lostBefore.Contains((f.File, f.JsonPath))) || census.Decryptable < CensusBefore.Decryptable) return null;
            return census.Summary;
        }
        catch (Exception e) when (e is not DryRunBreachException)
        {
            Log.Warning("Rollback could not tell whether the rotation changed anything before Stop ({Error}); it rolls back in full", SecretRedactor.Redact(e.Message));
            return null;
        }
    }

    /// <summary>True once Rollback closed this run's rotation as <see cref="EndedBeforeStopAsync"/> allows (for the announced wording).</summary>
    bool ClosedUnrotated { get; set; }

    string CloseUnrotated(RotationJournal target, string census)
    {
        target.Ended(RotationStep.RolledBack, Facts((JournalFacts.Refused, FailedTarget ?? RotationTargets.Stop),
            (JournalFacts.Detail, "ended before Stop, nothing rotated: the app kept running on the current keys and nothing was restored")));
        ClosedUnrotated = true;
        ReleaseLock();
        Log.Information("Rotation {Id} ended before Stop: nothing to roll back, the app kept running", target.Id.Value);
        return $"nothing to roll back: rotation {target.Id.Value} ended before Stop, so no key was shifted and the app kept running " +
               $"on the current keys ({census}); nothing was restored, and its journal is closed";
    }

    /// <param name="inputsChecked">The gate already passed under the lock (a rollback by hand); after a failure in this
    /// run it runs here, before Stop, so a snapshot that no longer matches its manifest stops nothing it cannot restore.</param>
    async Task<string> RollBackAsync(RotationJournal target, string failedTarget, string error, bool inputsChecked)
    {
        var progress = new RollbackProgress();
        var snapshotDir = SnapshotDir(target.Id);
        try
        {
            progress.Stage = "taking the rotation lock";
            if (rotationLock is null) AcquireLock();
            target.Started(RotationStep.Rollback, Facts((JournalFacts.Target, failedTarget), (JournalFacts.Error, error)));
            using var timeout = new CancellationTokenSource(settings.StopTimeout + settings.StartTimeout + settings.VerifyTimeout * 2);
            var ct = timeout.Token;
            progress.Stage = "the check of the snapshot and the store";
            if (!inputsChecked) await CheckRollbackInputsAsync(target, ct);

            progress.Stage = "Stop";
            AdoptJournaledLaunches(target);
            var stop = await runtime.StopAsync(ct);
            Log.Information("Rollback: {Stop}", stop.Summary);
            progress.Stage = "the restore";
            if (target.HasEnded(RotationStep.Snapshot))
            {
                RestoreFromSnapshot(snapshotDir, progress);
                // The restore put .env back; a GitHub store gets the same keys (from the snapshot in a later job).
                if (settings.Store != StoreKind.DotEnv && progress.Failed.Count == 0) await store.WriteAsync(OldKeys ?? KeysFromSnapshot(target), ct);
            }
            else
            {
                progress.NotRestoredBecause = "the rotation has no finished snapshot, and the keys were never shifted";
                Log.Warning("Rollback: rotation {Id} has no finished snapshot, so nothing was restored; the keys were never shifted", target.Id);
            }
            progress.RestoredKeys = await store.ReadAsync(ct);
            // With a config file left unrestored the rotated keys stay (they open it), so the app starts on them.
            if (progress.Failed.Count == 0) CheckRestoredFingerprints(target, progress.RestoredKeys);
            var v1 = progress.RestoredKeys.Primary!.Fingerprint.ToString();

            progress.Stage = "Start";
            var offset = StartupLog.CurrentOffset();
            var (start, pids) = await StartTrackedAsync(DateTimeOffset.UtcNow.AddSeconds(-1), ct);
            Log.Information("Rollback: {Start}", start.Summary);
            progress.Stage = "the startup check";
            var deadline = DateTimeOffset.UtcNow + settings.VerifyTimeout;
            var pass = await StartupLog.WaitForPassAsync(offset, settings.VerifyTimeout, LogMessage.Progress, ct,
                await ExpectPassAsync(pids, v1, offset, ct));
            Log.Information("Startup log after rollback: {Line}", pass.Line);
            progress.Stage = "the census";
            var census = Census.Take(Scope, Ring(progress.RestoredKeys));
            // Fields Preflight found lost and the operator let stay (--allow-undecryptable) are no rollback failure.
            if (census.Undecryptable.Count > UndecryptableBefore(target))
                census.ThrowIfUndecryptable($"no key is lost: as this rollback stops it writes every key they may need to {RecoveryKeys.PathIn(target.Directory)}; " +
                    $"fix what stopped the restore, then run `{RecoverCommand}`");
            if (progress.Failed.Count > 0) throw new RestoreIncompleteException(progress.Failed);

            progress.Stage = "the dashboard check";
            string dashboard;
            try
            {
                Inject("RollbackDashboard");
                dashboard = await CheckDashboardAsync(sessionBeforeStop: null, saveConfig: false, ct, answerBy: deadline);
            }
            catch (Exception e) { return RestoredButDashboardFailed(target, failedTarget, error, progress, v1, census.Summary, e); }

            var outcome = $"rolled back cleanly: keys and {progress.Restored.Count} file(s) restored from the snapshot; " +
                          $"app verified against the old keys (PASS with V1 {v1}, {dashboard}, {census.Summary})";
            PostmortemPath = WritePostmortem(target, failedTarget, error, outcome, progress);
            target.Ended(RotationStep.RolledBack, Facts((JournalFacts.Detail, $"postmortem {Path.GetRelativePath(Paths.Root, PostmortemPath)}")));
            RemoveRecoveryKeys(target);
            ReleaseLock();
            return outcome + $"; postmortem {PostmortemPath}";
        }
        catch (Exception e) when (e is not RollbackFailedException and not RotationLockLostException)
        {
            var rollbackError = SecretRedactor.Redact(e.Message);
            TryJournal(() => target.Failed(RotationStep.Rollback, rollbackError));
            var verdict = progress.Failed.Count > 0
                ? $"ROLLBACK INCOMPLETE: {progress.Restored.Count} file(s) restored, {progress.Failed.Count} NOT restored; manual action needed"
                : $"ROLLBACK FAILED at {progress.Stage}: manual action needed";
            if (progress.Stage is "taking the rotation lock" or "the check of the snapshot and the store" or "Stop")
                progress.NotRestoredBecause = $"the rollback failed at {progress.Stage}, before the restore; the app was left as it was";
            RecoveryKeysPath = await TryWriteRecoveryKeysAsync(target, $"the rollback stopped at {progress.Stage}: {rollbackError}", progress);
            if (RecoveryKeysPath is not null) verdict += $"; every key the fields need is in {RecoveryKeysPath} (0600): fix the cause, then run `{RecoverCommand}`";
            TryWritePostmortem(target, failedTarget, error + "\n\n" + verdict + ": " + rollbackError, verdict, progress);
            // The journal stays unfinished (Rollback Failed), so no new Rotate starts until a person has looked.
            throw new RollbackFailedException(target.Id.Value, snapshotDir, e);
        }
    }

    /// <summary>
    /// Everything is back and the app passed its key check with the restored V1, but the dashboard check failed. The
    /// rollback is journaled as done (restoring again would change nothing); the target still fails, saying exactly that.
    /// </summary>
    string RestoredButDashboardFailed(RotationJournal target, string failedTarget, string error, RollbackProgress progress, string v1, string census, Exception dashboardError)
    {
        var why = SecretRedactor.Redact(dashboardError.Message);
        var verdict = $"RESTORED, BUT THE DASHBOARD CHECK FAILED: keys and {progress.Restored.Count} file(s) restored, app PASS with the restored V1 {v1}, {census}; " +
                      "do not restore again, check the dashboard";
        TryWritePostmortem(target, failedTarget, error + "\n\nDashboard check after the restore: " + why, verdict, progress);
        TryJournal(() => target.Ended(RotationStep.RolledBack, Facts((JournalFacts.Detail, "restored; the dashboard check after it failed: " + why))));
        RemoveRecoveryKeys(target);
        RestoredButUnverified = true;
        ReleaseLock();
        throw new RollbackFailedException(target.Id.Value, SnapshotDir(target.Id), new VerificationFailedException($"{verdict}: {why}"));
    }

    /// <summary>The restore keeps going past one file's error; what it put back and what it could not are both recorded.</summary>
    void RestoreFromSnapshot(string snapshotDir, RollbackProgress progress)
    {
        try
        {
            // Every hash is checked before anything is written; then each changed file is restored on its own.
            var report = Snapshots.Restore(snapshotDir);
            progress.Restored.AddRange(report.Restored);
            progress.Failed.AddRange(report.Failed);
            Log.Information("Rollback: {Restore}", report.Summary);
        }
        catch (Exception e) when (e is not OperationCanceledException and not RotationLockLostException)
        {
            if (e is SnapshotCorruptException) UntrustedSnapshot = SecretRedactor.Redact(e.Message);
            progress.Failed.Add(new RestoreFailure(Path.GetRelativePath(Paths.Root, snapshotDir), SecretRedactor.Redact(e.Message)));
            Log.Error("Rollback: the restore from {Dir} failed: {Error}", snapshotDir, SecretRedactor.Redact(e.Message));
        }
    }

    /// <summary>Set when the restore succeeded but the dashboard check after it failed: the closing message differs.</summary>
    public bool RestoredButUnverified { get; private set; }

    /// <summary>The recovery file a rollback that could not finish wrote (every key the fields need), for the closing message.</summary>
    public string? RecoveryKeysPath { get; private set; }

    string RecoverCommand => $"./build.sh Rollback --env {settings.Env} --deployment-root {Paths.Root}";

    /// <summary>
    /// Once the keys were shifted, a rollback that stops may leave fields under a key .env no longer holds: every key
    /// they may need (the pre-rotation pair, the new V1, what .env holds now) goes to the recovery file. Null when
    /// nothing was shifted, or when even that file cannot be written (the message says so).
    /// </summary>
    async Task<string?> TryWriteRecoveryKeysAsync(RotationJournal target, string why, RollbackProgress progress)
    {
        if (!target.Entries.Any(e => e.Step == RotationStep.Shift)) return null;
        try
        {
            var restore = OldKeys ?? KeysFromSnapshot(target);
            var others = new List<FernetKey>();
            if (NewKey is { } fresh) others.Add(fresh);
            foreach (var keys in new[] { progress.RestoredKeys, await TryReadStoreAsync() })
                others.AddRange(new[] { keys?.Primary, keys?.Secondary }.OfType<FernetKey>());
            var path = RecoveryKeys.Write(target.Directory, SnapshotDir(target.Id), target.Id.Value, RecoverCommand, restore, others, why);
            Log.Error("Rollback could not finish; every key the deployment's fields need is in {RecoveryFile} (0600). Fix the cause, then run {Command}", path, RecoverCommand);
            return path;
        }
        catch (Exception e) when (e is not DryRunBreachException)
        {
            Log.Error("Could not write the recovery file beside the journal ({Error}); the pre-rotation keys are in the snapshot {Snapshot} and the new V1 in {Store}",
                SecretRedactor.Redact(e.Message), SnapshotDir(target.Id), store.Description);
            return null;
        }
    }

    async Task<KeySlots?> TryReadStoreAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(settings.StopTimeout);
            return await store.ReadAsync(timeout.Token);
        }
        catch (Exception e) when (e is not DryRunBreachException) { return null; }
    }

    /// <summary>A rollback that finished needs no recovery file: it is shredded with the room set aside for it.</summary>
    void RemoveRecoveryKeys(RotationJournal target)
    {
        try { RecoveryKeys.Remove(target.Directory, SnapshotDir(target.Id)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning("Could not shred the recovery file {File}: {Error}; remove it by hand", RecoveryKeys.PathIn(target.Directory), e.Message);
        }
    }

    static KeyRing Ring(KeySlots keys) =>
        keys.Secondary is null || keys.Secondary.Equals(keys.Primary) ? new KeyRing(keys.Primary!) : new KeyRing(keys.Primary!, keys.Secondary);

    /// <summary>The restored store must hold exactly the keys the journal recorded before the rotation.</summary>
    void CheckRestoredFingerprints(RotationJournal target, KeySlots restored)
    {
        var expected = target.Fact(JournalFacts.OldPrimary);
        var found = restored.Primary?.Fingerprint.ToString();
        if (expected is not null && found != expected)
            throw new StoreDiffersFromJournalException(store.Description, target.FilePath, $"V1 {found ?? "absent"}", $"the pre-rotation V1 {expected}");
    }

    string WritePostmortem(RotationJournal target, string failedTarget, string error, string outcome, RollbackProgress progress)
    {
        var keys = progress.RestoredKeys;
        var path = Postmortem.Write(Paths, target, new PostmortemFacts(failedTarget, error, outcome, progress.Restored,
            keys?.Primary?.Fingerprint.ToString(), keys?.Secondary?.Fingerprint.ToString())
        {
            FailedFiles = progress.Failed,
            NotRestoredBecause = progress.NotRestoredBecause,
        }, DateTimeOffset.UtcNow);
        Log.Information("Postmortem written to {Path}", path);
        return path;
    }

    void TryWritePostmortem(RotationJournal target, string failedTarget, string error, string outcome, RollbackProgress progress)
    {
        try { PostmortemPath = WritePostmortem(target, failedTarget, error, outcome, progress); }
        catch (Exception pm) when (pm is IOException or UnauthorizedAccessException) { Log.Error("Could not write the postmortem: {Error}", pm.Message); }
    }

    /// <summary>
    /// The run's closing message: the manual steps while a rotation is left open (Rollback failed or never finished),
    /// else the postmortem of a clean rollback; nothing after a rotation that held.
    /// </summary>
    public void LogClosingMessage(TargetStatus? rollback)
    {
        if (rollback == TargetStatus.Failed || (NeedsRollback && rollback != TargetStatus.Succeeded))
            ManualSteps().LogAs(Log.Error);
        else if (PostmortemPath is { } postmortem)
            Log.Warning("The rotation failed and was rolled back; postmortem: {Postmortem}", postmortem);
    }

    /// <summary>What an operator does when Rollback itself failed, for the build's closing message: one template, its paths as values.</summary>
    public LogMessage ManualSteps()
    {
        var postmortem = PostmortemPath is null ? "" : " " + PostmortemPath;
        if (RestoredButUnverified)
            return new(string.Join(Environment.NewLine,
                "Rollback restored the keys and the config and the app passed its key check with the old V1, but the dashboard check after it failed.",
                "  Do not restore again. Check the dashboard by hand (log in, open the config) and the app's log;",
                "  the postmortem{Postmortem} has the error. The journal records the rollback, so the next Rotate may start."), postmortem);
        var snapshot = RotationId is { } id ? SnapshotDir(id) : Path.Combine(Paths.KeyRotation, "<rotation-id>", "snapshot");
        if (UntrustedSnapshot is { } damaged)
            return new(string.Join(Environment.NewLine,
                "Rollback failed: manual action needed. The snapshot no longer matches its manifest, so it was not used and must not be copied anywhere:",
                "  {Damaged}",
                "  1. Leave the app as it is ({Runtime}) until the keys are settled; nothing was restored.",
                "  2. Keys: run `./build.sh Status --env {Env}`; when every field opens with the keys .env holds now, keep them and start the app.",
                "     Otherwise restore .env from another backup whose V1/V2 fingerprints equal the journal's begin line.",
                "  3. Config: run `python config/scripts/startup_safety.py --guided-restore`, or restore config/ from another backup.",
                "  4. Start the app and check {StartupLog} for \"Key presence/integrity check: PASS\".",
                "  5. Read the postmortem{Postmortem}; find out who changed the snapshot in {Snapshot}."),
                damaged, runtime.Description, settings.Env, Paths.StartupLog, postmortem, snapshot);
        return new(string.Join(Environment.NewLine,
            "Rollback failed: manual action needed.",
            RecoveryKeysPath is null ? "  Nothing is lost while the snapshot below and .env stay as they are."
                : "  No key is lost: every key the deployment's fields need is in {RecoveryKeys} (0600, shredded once a rollback finishes).",
            "  The quickest way back: fix what the error above names, then run `{RecoverCommand}`: it restores only what still differs. By hand:",
            "  1. Stop the app ({Runtime}).",
            "  2. Restore the secrets: copy {SnapshotDotEnv} over {DotEnv} (check its SHA-256 against {Manifest}),",
            settings.Store == StoreKind.DotEnv
                ? "     or restore the store's V1/V2 to the fingerprints in the journal's begin line."
                : "     and set the {Store} secrets {PrimaryName}/{SecondaryName} to the same keys (`gh secret set`): the next job maps them, and they must equal .env's.",
            "  3. Restore the config: copy {SnapshotConfig} over {Config}, or run `python config/scripts/startup_safety.py --guided-restore`.",
            "  4. Start the app and check {StartupLog} for \"Key presence/integrity check: PASS\".",
            "  5. Read the postmortem{Postmortem} (it lists what was restored and what is left); then",
            "     `./build.sh Rollback --env {Env}` once more records the rollback in the journal, which lets the next Rotate start.",
            "     It writes a new postmortem next to this one and never overwrites it."),
            [.. RecoveryKeysPath is null ? Array.Empty<object?>() : [RecoveryKeysPath], RecoverCommand, runtime.Description, Path.Combine(snapshot, "files", ".env"), Paths.DotEnv, Path.Combine(snapshot, SnapshotStore.ManifestName),
             .. settings.Store == StoreKind.DotEnv ? Array.Empty<object?>() : [store.Description.Split(' ')[0], KeySlots.PrimaryName, KeySlots.SecondaryName],
             Path.Combine(snapshot, "files", "config"), Paths.Config, Paths.StartupLog, postmortem, settings.Env]);
    }
}
