using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The single host's part of the <see cref="RecoveryGate"/> of Resume and Rollback: which keys the store may hold.
/// Resume: the old pair, or the new V1 the shift journaled with the old V1 as V2. Rollback: a V1 this rotation put there.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    /// <summary>What Resume reads from its checked inputs: the pre-rotation keys and whether the store already holds the new V1.</summary>
    sealed record ResumeInputs(KeySlots Old, bool Shifted);

    async Task<ResumeInputs> CheckResumeInputsAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        var gate = new RecoveryGate(RotationTargets.Resume);
        var snapshotTaken = target.HasEnded(RotationStep.Snapshot);
        gate.CheckSnapshot(target, SnapshotDir(target.Id));
        var current = await gate.ReadAsync(store, cancellationToken);
        // Before its snapshot ended the rotation shifted nothing: the store holds the old pair, which the journal names.
        var old = snapshotTaken ? gate.OldKeys(target, SnapshotDir(target.Id), store.Description) : current;
        var shifted = false;
        if (old is not null && current is not null)
        {
            shifted = IsShifted(target, old, current);
            if (!shifted && !SameKeys(current, old)) gate.Refuse(StoreDiffers(target, current, old).Message);
        }
        if (old is not null && !snapshotTaken) gate.Check(() => { RecoveryGate.RequireOldFingerprints(target, old, store.Description); return true; });
        gate.ThrowIfRefused();
        return new ResumeInputs(old!, shifted);
    }

    /// <summary>
    /// Rollback's inputs: a snapshot it restores must match its manifest (else its manual steps must not name it either),
    /// and the store must hold a pair this rotation put there; any other pair is someone's edit a restore would overwrite.
    /// </summary>
    async Task CheckRollbackInputsAsync(RotationJournal target, CancellationToken cancellationToken)
    {
        var gate = new RecoveryGate(RotationTargets.Rollback);
        gate.CheckSnapshot(target, SnapshotDir(target.Id));
        UntrustedSnapshot = gate.UntrustedSnapshot ?? UntrustedSnapshot;
        var current = await gate.ReadAsync(store, cancellationToken);
        var oldV1 = target.Fact(JournalFacts.OldPrimary);
        var newV1 = target.Fact(JournalFacts.NewPrimary);
        var held = current?.Primary?.Fingerprint.ToString();
        if (current is not null && oldV1 is not null && held != oldV1 && held != newV1)
            gate.Refuse(new StoreDiffersFromJournalException(store.Description, target.FilePath, $"V1 {held ?? "absent"}",
                $"the pre-rotation V1 {oldV1}" + (newV1 is null ? "" : $" or the rotation's new V1 {newV1}")).Message +
                " A restore would overwrite that pair with the snapshot's.");
        gate.ThrowIfRefused();
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
