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
        var target = RotationJournal.FindUnfinished(Paths.KeyRotation) ?? throw new NothingToResumeException(Paths.KeyRotation);
        PhasedJournalException.ThrowIf(target, RotationTargets.Resume);
        var inputs = await CheckResumeInputsAsync(target, cancellationToken);
        return await Change(ChangeKind.Process,
            () => $"would resume rotation {target.Id} after its last completed step {target.LastCompletedStep?.ToString() ?? "none"}: " +
                  $"stop, {(inputs.Shifted ? "no shift (the store already holds the journaled new V1)" : "shift")}, rewrap, start, verify",
            () => ResumeFromAsync(target, cancellationToken));
    });

    /// <summary>The same phases as a rotation in one run, each value rebuilt from the journal where the earlier run stopped.</summary>
    async Task<string> ResumeFromAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        AcquireLock();
        // Again under the lock, where no other run can change the inputs any more; a refusal still changed nothing.
        ResumeInputs inputs;
        try { inputs = await CheckResumeInputsAsync(target, cancellationToken); }
        catch (GateRefusedException) { ReleaseLock(); throw; }
        journal = target;
        Log.Information("Resuming rotation {Id} ({Env}, by {Actor}); last completed step: {Step}", target.Id, target.Env, target.Actor, target.LastCompletedStep);

        var rotation = await ReopenAsync(target, inputs.Old, cancellationToken);
        AdoptJournaledLaunches(target);
        await StopRuntimeAsync(target, RotationTargets.Resume, cancellationToken);
        // The rewrap is repeated whatever the earlier run chose: it is idempotent, and the app is down now.
        var stopped = new StoppedRuntime(rotation, SessionBeforeStop: null, OfflineRewrap.All);
        var rotated = new RotatedKeys(stopped, await ShiftUnlessShiftedAsync(target, inputs, cancellationToken));
        await RewrapAsync(target, rotation.OldKeys, rotated.NewPrimary, RotationTargets.Resume, stopped.OfflineRewrap);
        var (offset, pids, _) = await StartRuntimeAsync(target, RotationTargets.Resume, cancellationToken);
        var started = new StartedRuntime(rotated, offset, pids);
        var (verified, retention) = await VerifyAndCompleteAsync(started, RotationTargets.Resume, cancellationToken);
        return $"rotation {target.Id} resumed and completed: V1 {rotated.NewPrimary.Fingerprint}, V2 {rotation.OldKeys.Primary!.Fingerprint}; {verified}; {retention}";
    }

    /// <summary>The rotation's journal and the old keys its gate checked; a snapshot that never finished is taken again.</summary>
    async Task<OpenedRotation> ReopenAsync(RotationJournal target, KeySlots old, CancellationToken cancellationToken)
    {
        if (!target.HasEnded(RotationStep.Snapshot))
        {
            var partial = SnapshotDir(target.Id);
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); // ours, and never finished
            await TakeSnapshotAsync(target, cancellationToken);
        }
        OldKeys = old;
        return new OpenedRotation(target, old, UndecryptableBefore(target), Session: null, AppRewraps: false);
    }

    /// <summary>Preflight's count of fields no key opened, which --allow-undecryptable let stay (journaled at Begin).</summary>
    static int UndecryptableBefore(RotationJournal target) =>
        int.TryParse(target.Fact(JournalFacts.UndecryptableBefore), out var count) ? count : 0;

    /// <summary>Shifts only when the store still holds the old pair (as the gate found it); never twice.</summary>
    async Task<FernetKey> ShiftUnlessShiftedAsync(RotationJournal target, ResumeInputs inputs, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(cancellationToken);
        if (IsShifted(target, inputs.Old, current))
        {
            NewKey = current.Primary;
            Log.Information("The store already holds the new V1 {Fingerprint}: the shift is not repeated", current.Primary!.Fingerprint);
            return current.Primary!;
        }
        // Someone edited the store by hand after the gate, under the lock: nothing is shifted over that edit.
        if (!SameKeys(current, inputs.Old)) throw StoreDiffers(target, current, inputs.Old);
        var next = NewPrimaryDifferentFrom(inputs.Old);
        await ShiftAsync(target, inputs.Old, next, cancellationToken);
        return next;
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
