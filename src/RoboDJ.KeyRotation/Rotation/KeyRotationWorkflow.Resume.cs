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
    public Task<string> ResumeAsync(CancellationToken cancellationToken) => Target("Resume", async () =>
    {
        await MoveToCurrentLayoutAsync();
        var target = RotationJournal.FindUnfinished(ReadablePaths.KeyRotation) ?? throw new NothingToResumeException(ReadablePaths.KeyRotation);
        return await Change(ChangeKind.Process,
            () => $"would resume rotation {target.Id} after its last completed step {target.LastCompletedStep?.ToString() ?? "none"}: " +
                  "stop, shift unless the store already holds the journaled new V1, rewrap, start, verify",
            () => ResumeFromAsync(target, cancellationToken));
    });

    async Task<string> ResumeFromAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        AcquireLock();
        journal = target;
        Log.Information("Resuming rotation {Id} ({Env}, by {Actor}); last completed step: {Step}", target.Id, target.Env, target.Actor, target.LastCompletedStep);

        if (!target.HasEnded(RotationStep.Snapshot))
        {
            oldKeys = await store.ReadAsync(cancellationToken);
            CheckOldFingerprints(target, oldKeys);
            var partial = SnapshotDir(target.Id);
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); // ours, and never finished
            await TakeSnapshotAsync(cancellationToken);
        }
        else oldKeys = KeysFromSnapshot(target);

        AdoptJournaledLaunches(target);
        await StopRuntimeAsync("Resume", cancellationToken);
        var current = await store.ReadAsync(cancellationToken);
        if (current.Primary is not null && current.Primary.Equals(oldKeys.Primary)) await ShiftAsync(oldKeys, cancellationToken);
        else if (current.Primary?.Fingerprint.ToString() == target.Fact(JournalFacts.NewPrimary) && current.Secondary?.Equals(oldKeys.Primary) == true)
        {
            newPrimary = current.Primary;
            Log.Information("The store already holds the new V1 {Fingerprint}: the shift is not repeated", newPrimary!.Fingerprint);
        }
        else throw new StoreDiffersFromJournalException(store.Description, target.FilePath,
            $"V1 {current.Primary?.Fingerprint.ToString() ?? "absent"}, V2 {current.Secondary?.Fingerprint.ToString() ?? "absent"}",
            $"either the old V1 {oldKeys.Primary!.Fingerprint} or the new V1 {target.Fact(JournalFacts.NewPrimary)} with V2 {oldKeys.Primary!.Fingerprint}");
        await RewrapAsync(oldKeys, "Resume");
        await StartRuntimeAsync("Resume", cancellationToken);
        var verified = await Step(RotationStep.Verify, null, async () =>
        {
            var result = await VerifyRotationAsync(cancellationToken);
            return (result, Facts((JournalFacts.Detail, result)));
        }, injectAs: "Resume");
        target.Ended(RotationStep.Completed, Facts((JournalFacts.NewPrimary, newPrimary!.Fingerprint.ToString())));
        var retention = await ApplyRetentionAsync(target, cancellationToken);
        ReleaseLock();
        return $"rotation {target.Id} resumed and completed: V1 {newPrimary.Fingerprint}, V2 {oldKeys.Primary!.Fingerprint}; {verified}; {retention}";
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
