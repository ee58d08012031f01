using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
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
    public Task<string> RollbackAsync(CancellationToken cancellationToken) => Target("Rollback", async () =>
    {
        var target = journal ?? RotationJournal.FindUnfinished(Paths.KeyRotation) ?? RotationJournal.FindLatest(Paths.KeyRotation)
            ?? throw new NothingToRollBackException(Paths.KeyRotation);
        var failedTarget = FailedTarget ?? (journal is null ? "none (rollback requested by hand)" : "none: the build was cancelled before the rotation finished");
        var error = Failure is null ? "none" : SecretRedactor.Redact(Failure.Message);
        if (DryRun)
            return $"would stop {runtime.Description}, " + (target.HasEnded(RotationStep.Snapshot) ? Snapshots.DescribeRestore(SnapshotDir(target.Id)) : "restore nothing (no snapshot)") +
                   $", start it, verify against the old keys and write {Postmortem.PathFor(Paths, target.Id, DateTimeOffset.UtcNow)}";
        journal = target;
        // An operator's Ctrl-C must not stop the rollback half-way: it runs to its own timeouts.
        _ = cancellationToken;
        return await RollBackAsync(target, failedTarget, error);
    });

    async Task<string> RollBackAsync(RotationJournal target, string failedTarget, string error)
    {
        var restored = new List<string>();
        KeySlots? restoredKeys = null;
        var snapshotDir = SnapshotDir(target.Id);
        try
        {
            if (rotationLock is null) AcquireLock();
            target.Started(RotationStep.Rollback, Facts((JournalFacts.Target, failedTarget), (JournalFacts.Error, error)));
            using var timeout = new CancellationTokenSource(settings.StopTimeout + settings.StartTimeout + settings.VerifyTimeout * 2);
            var ct = timeout.Token;

            var stop = await runtime.StopAsync(ct);
            Log.Information("Rollback: {Stop}", stop.Summary);
            if (target.HasEnded(RotationStep.Snapshot))
            {
                var restore = Snapshots.Restore(snapshotDir);
                restored.AddRange(restore.Restored);
                restore.ThrowIfAnyFailed();
                if (settings.Store != StoreKind.DotEnv && oldKeys is not null) await store.WriteAsync(oldKeys, ct);
            }
            else Log.Warning("Rollback: rotation {Id} has no finished snapshot, so nothing was restored; the keys were never shifted", target.Id);
            restoredKeys = await store.ReadAsync(ct);
            CheckRestoredFingerprints(target, restoredKeys);

            var offset = StartupLog.CurrentOffset();
            var start = await runtime.StartAsync(DateTimeOffset.UtcNow.AddSeconds(-1), ct);
            Log.Information("Rollback: {Start}", start.Summary);
            var pass = await StartupLog.WaitForPassAsync(offset, settings.VerifyTimeout, new Progress<string>(p => Log.Information("{Progress}", p)), ct);
            var census = Census.Take(Scope, Ring(restoredKeys));
            census.ThrowIfUndecryptable();
            sessionBeforeStop = null;
            var dashboard = await CheckDashboardAsync(saveConfig: false, ct);

            var outcome = $"rolled back cleanly: keys and {restored.Count} file(s) restored from the snapshot; app verified against the old keys (PASS, {dashboard}, {census.Summary})";
            PostmortemPath = WritePostmortem(target, failedTarget, error, outcome, restored, restoredKeys);
            target.Ended(RotationStep.RolledBack, Facts((JournalFacts.Detail, $"postmortem {Path.GetRelativePath(Paths.Root, PostmortemPath)}")));
            Log.Information("Startup log after rollback: {Line}", pass.Line);
            ReleaseLock();
            return outcome + $"; postmortem {PostmortemPath}";
        }
        catch (Exception e)
        {
            var rollbackError = SecretRedactor.Redact(e.Message);
            TryJournal(() => target.Failed(RotationStep.Rollback, rollbackError));
            try
            {
                PostmortemPath = WritePostmortem(target, failedTarget, error + "\n\nROLLBACK FAILED: " + rollbackError,
                    "ROLLBACK FAILED: manual action needed", restored, restoredKeys);
            }
            catch (Exception pm) when (pm is IOException or UnauthorizedAccessException) { Log.Error("Could not write the postmortem: {Error}", pm.Message); }
            // The journal stays unfinished (Rollback Failed), so no new Rotate starts until a person has looked.
            throw new RollbackFailedException(target.Id.Value, snapshotDir, e);
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

    string WritePostmortem(RotationJournal target, string failedTarget, string error, string outcome, IReadOnlyList<string> restored, KeySlots? restoredKeys)
    {
        var path = Postmortem.Write(Paths, target, new PostmortemFacts(failedTarget, error, outcome, restored,
            restoredKeys?.Primary?.Fingerprint.ToString(), restoredKeys?.Secondary?.Fingerprint.ToString()), DateTimeOffset.UtcNow);
        Log.Information("Postmortem written to {Path}", path);
        return path;
    }

    /// <summary>What an operator does when Rollback itself failed, for the build's closing message.</summary>
    public string ManualSteps()
    {
        var snapshot = RotationId is { } id ? SnapshotDir(id) : Path.Combine(Paths.KeyRotation, "<rotation-id>", "snapshot");
        return string.Join(Environment.NewLine,
            "Rollback failed: manual action needed.",
            $"  1. Stop the app ({runtime.Description}).",
            $"  2. Restore the secrets: copy {Path.Combine(snapshot, "files", ".env")} over {Paths.DotEnv} (check its SHA-256 against {Path.Combine(snapshot, SnapshotStore.ManifestName)}),",
            "     or restore the store's V1/V2 to the fingerprints in the journal's begin line.",
            $"  3. Restore the config: copy {Path.Combine(snapshot, "files", "config")} over {Paths.Config}, or run `python config/scripts/startup_safety.py --guided-restore`.",
            $"  4. Start the app and check {Paths.StartupLog} for \"Key presence/integrity check: PASS\".",
            $"  5. Fill in the postmortem{(PostmortemPath is null ? "" : " " + PostmortemPath)}; then `./build.sh Rollback --env {settings.Env}` once more records the rollback",
            "     in the journal (it restores the same snapshot again), which lets the next Rotate start.");
    }
}
