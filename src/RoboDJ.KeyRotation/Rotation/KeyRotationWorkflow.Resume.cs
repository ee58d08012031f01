using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    /// <summary>
    /// Finishes an unfinished rotation from its journal. Stop and Start are repeated (both are safe to repeat); the shift
    /// is repeated only when the store still holds the old V1, so keys are never shifted twice; the rewrap is idempotent.
    /// The old keys come from the snapshot's .env (every store delivers to .env), because the store no longer holds the
    /// old V2 once shifted and GitHub cannot give a secret back.
    /// </summary>
    public Task<string> ResumeAsync(CancellationToken cancellationToken) => Target(RotationTargets.Resume, async () =>
    {
        await MoveToCurrentLayoutAsync();
        var target = RotationJournal.FindUnfinished(ReadablePaths.KeyRotation) ?? throw new NothingToResumeException(ReadablePaths.KeyRotation);
        PhasedJournalException.ThrowIf(target, RotationTargets.Resume);
        return await Change(ChangeKind.Process,
            () => $"would resume rotation {target.Id} after its last completed step {target.LastCompletedStep?.ToString() ?? "none"}: " +
                  "stop, shift unless the store already holds the journaled new V1, rewrap, start, verify",
            () => ResumeFromAsync(target, cancellationToken));
    });

    /// <summary>The same phases as a rotation in one run, each value rebuilt from the journal where the earlier run stopped.</summary>
    async Task<string> ResumeFromAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        AcquireLock();
        journal = target;
        Log.Information("Resuming rotation {Id} ({Env}, by {Actor}); last completed step: {Step}", target.Id, target.Env, target.Actor, target.LastCompletedStep);

        var rotation = await ReopenAsync(target, cancellationToken);
        AdoptJournaledLaunches(target);
        await StopRuntimeAsync(target, RotationTargets.Resume, cancellationToken);
        // The rewrap is repeated whatever the earlier run chose: it is idempotent, and the app is down now.
        var stopped = new StoppedRuntime(rotation, SessionBeforeStop: null, OfflineRewrap.All);
        var rotated = new RotatedKeys(stopped, await ShiftUnlessShiftedAsync(target, rotation.OldKeys, cancellationToken));
        await RewrapAsync(target, rotation.OldKeys, rotated.NewPrimary, RotationTargets.Resume, stopped.OfflineRewrap);
        var (offset, pids, _) = await StartRuntimeAsync(target, RotationTargets.Resume, cancellationToken);
        var started = new StartedRuntime(rotated, offset, pids);
        var (verified, retention) = await VerifyAndCompleteAsync(started, RotationTargets.Resume, cancellationToken);
        return $"rotation {target.Id} resumed and completed: V1 {rotated.NewPrimary.Fingerprint}, V2 {rotation.OldKeys.Primary!.Fingerprint}; {verified}; {retention}";
    }

    /// <summary>The old keys from the snapshot's .env, or (no finished snapshot) from the store, which was not shifted yet.</summary>
    async Task<OpenedRotation> ReopenAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        KeySlots old;
        if (!target.HasEnded(RotationStep.Snapshot))
        {
            old = await store.ReadAsync(cancellationToken);
            CheckOldFingerprints(target, old);
            var partial = SnapshotDir(target.Id);
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); // ours, and never finished
            await TakeSnapshotAsync(target, cancellationToken);
        }
        else old = KeysFromSnapshot(target);
        OldKeys = old;
        return new OpenedRotation(target, old, UndecryptableBefore(target), Session: null, AppRewraps: false);
    }

    /// <summary>Preflight's count of fields no key opened, which --allow-undecryptable let stay (journaled at Begin).</summary>
    static int UndecryptableBefore(RotationJournal target) =>
        int.TryParse(target.Fact(JournalFacts.UndecryptableBefore), out var count) ? count : 0;

    /// <summary>Shifts only when the store still holds the old V1; the journaled new V1 with V2 = old V1 means it already shifted.</summary>
    async Task<FernetKey> ShiftUnlessShiftedAsync(RotationJournal target, KeySlots old, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(cancellationToken);
        if (current.Primary is not null && current.Primary.Equals(old.Primary))
        {
            var next = NewPrimaryDifferentFrom(old);
            await ShiftAsync(target, old, next, cancellationToken);
            return next;
        }
        if (current.Primary?.Fingerprint.ToString() == target.Fact(JournalFacts.NewPrimary) && current.Secondary?.Equals(old.Primary) == true)
        {
            NewKey = current.Primary;
            Log.Information("The store already holds the new V1 {Fingerprint}: the shift is not repeated", current.Primary!.Fingerprint);
            return current.Primary!;
        }
        throw new StoreDiffersFromJournalException(store.Description, target.FilePath,
            $"V1 {current.Primary?.Fingerprint.ToString() ?? "absent"}, V2 {current.Secondary?.Fingerprint.ToString() ?? "absent"}",
            $"either the old V1 {old.Primary!.Fingerprint} or the new V1 {target.Fact(JournalFacts.NewPrimary)} with V2 {old.Primary!.Fingerprint}");
    }

    KeySlots KeysFromSnapshot(RotationJournal target)
    {
        var bytes = SnapshotStore.ReadVerified(SnapshotDir(target.Id), ".env");
        var dotenv = DotEnvFile.FromBytes(bytes, Path.Combine(SnapshotDir(target.Id), "files", ".env"));
        var source = $"the snapshot's .env of rotation {target.Id}";
        var v1 = FernetKey.Parse(dotenv[KeySlots.PrimaryName], $"{source} ({KeySlots.PrimaryName})");
        var v2 = dotenv[KeySlots.SecondaryName] is { Length: > 0 } text ? FernetKey.Parse(text, $"{source} ({KeySlots.SecondaryName})") : null;
        var keys = new KeySlots(v1, v2);
        CheckOldFingerprints(target, keys);
        return keys;
    }

    void CheckOldFingerprints(RotationJournal target, KeySlots keys)
    {
        var expected = target.Fact(JournalFacts.OldPrimary);
        if (expected is not null && keys.Primary?.Fingerprint.ToString() != expected)
            throw new StoreDiffersFromJournalException(store.Description, target.FilePath, $"V1 {keys.Primary?.Fingerprint.ToString() ?? "absent"}", $"the pre-rotation V1 {expected}");
    }
}
