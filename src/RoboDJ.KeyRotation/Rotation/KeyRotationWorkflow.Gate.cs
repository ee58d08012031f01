using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The gate of Resume and Rollback (issue 19): every input they will use is checked before their first change, so a
/// refusal stops no app, restores nothing and creates nothing. The journal (found and read whole), the snapshot (its
/// manifest and every file's hash, when the journal says it was taken) and the store's keys against the journal's
/// fingerprints: the old pair, or the new V1 the shift journaled with the old V1 as V2. It runs before the lock is
/// taken (read-only, so a refusal leaves no file) and again under it, where the inputs can no longer change.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    /// <summary>What Resume reads from its checked inputs: the pre-rotation keys and whether the store already holds the new V1.</summary>
    sealed record ResumeInputs(KeySlots Old, bool Shifted);

    async Task<ResumeInputs> CheckResumeInputsAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        var problems = new PreflightProblems();
        var snapshotTaken = target.HasEnded(RotationStep.Snapshot);
        if (snapshotTaken) problems.Check(() => SnapshotStore.Check(SnapshotDir(target.Id)));
        var current = await problems.CheckAsync(() => store.ReadAsync(cancellationToken));
        // Before its snapshot ended the rotation shifted nothing: the store holds the old pair, which the journal names.
        var old = snapshotTaken ? problems.Check(() => KeysFromSnapshot(target)) : current;
        var shifted = false;
        if (old is not null && current is not null)
        {
            shifted = IsShifted(target, old, current);
            if (!shifted && !SameKeys(current, old)) problems.Add(StoreDiffers(target, current, old).Message);
        }
        if (old is not null && !snapshotTaken) problems.Check(() => CheckOldFingerprints(target, old));
        if (problems.Count > 0) throw new GateRefusedException(RotationTargets.Resume, problems);
        return new ResumeInputs(old!, shifted);
    }

    /// <summary>
    /// Rollback's inputs: a snapshot it restores must match its manifest (else its manual steps must not name it either),
    /// and the store must hold a pair this rotation put there; any other pair is someone's edit a restore would overwrite.
    /// </summary>
    async Task CheckRollbackInputsAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        var problems = new PreflightProblems();
        if (target.HasEnded(RotationStep.Snapshot))
        {
            try { SnapshotStore.Check(SnapshotDir(target.Id)); }
            catch (SnapshotCorruptException e)
            {
                UntrustedSnapshot = e.Message;
                problems.Add(e.Message);
            }
        }
        var current = await problems.CheckAsync(() => store.ReadAsync(cancellationToken));
        var oldV1 = target.Fact(JournalFacts.OldPrimary);
        var newV1 = target.Fact(JournalFacts.NewPrimary);
        var held = current?.Primary?.Fingerprint.ToString();
        if (current is not null && oldV1 is not null && held != oldV1 && held != newV1)
            problems.Add(new StoreDiffersFromJournalException(store.Description, target.FilePath, $"V1 {held ?? "absent"}",
                $"the pre-rotation V1 {oldV1}" + (newV1 is null ? "" : $" or the rotation's new V1 {newV1}")).Message +
                " A restore would overwrite that pair with the snapshot's.");
        if (problems.Count > 0) throw new GateRefusedException(RotationTargets.Rollback, problems);
    }

    /// <summary>Set when the snapshot does not match its manifest: the manual steps must not say to copy it anywhere.</summary>
    string? UntrustedSnapshot { get; set; }

    /// <summary>The store holds the journaled new V1 with the old V1 as V2: the shift happened.</summary>
    static bool IsShifted(RotationJournal target, KeySlots old, KeySlots current) =>
        current.Primary?.Fingerprint.ToString() == target.Fact(JournalFacts.NewPrimary) && current.Secondary?.Equals(old.Primary) == true;

    static bool SameKeys(KeySlots a, KeySlots b) => Equals(a.Primary, b.Primary) && Equals(a.Secondary, b.Secondary);

    StoreDiffersFromJournalException StoreDiffers(RotationJournal target, KeySlots current, KeySlots old) =>
        new(store.Description, target.FilePath,
            $"V1 {current.Primary?.Fingerprint.ToString() ?? "absent"}, V2 {current.Secondary?.Fingerprint.ToString() ?? "absent"}",
            $"either the old pair (V1 {old.Primary!.Fingerprint}, V2 {old.Secondary?.Fingerprint.ToString() ?? "absent"}) or the new V1 " +
            $"{target.Fact(JournalFacts.NewPrimary) ?? "(not journaled yet)"} with V2 {old.Primary!.Fingerprint}");
}

/// <summary>A target's gate found inputs it cannot use: nothing was changed, the app was not stopped (exit 3).</summary>
public sealed class GateRefusedException(string target, IReadOnlyList<string> problems)
    : Exception($"{target} refused before any change ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was changed and the app was not stopped:\n  - " +
                string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
