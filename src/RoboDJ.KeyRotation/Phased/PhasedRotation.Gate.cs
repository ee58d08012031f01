using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// The phased part of the <see cref="RecoveryGate"/> of ResumePhased and RollbackPhased (and the fleet's): the
/// deployment's .env must hold a pair the journal's phases put there, by fingerprint: the old pair, phase 1's
/// (V1 = old, V2 = new) or phase 2's (V1 = new, V2 = old). Any other pair is someone's edit the next rollout would
/// overwrite on every replica.
/// </summary>
public sealed partial class PhasedRotation
{
    async Task<RotationJournal> CheckRecoveryInputsAsync(PhasedAction action, CancellationToken cancellationToken)
    {
        var gate = new RecoveryGate($"{action} of the phased rotation");
        var journal = gate.Check(FindUnfinishedPhased);
        if (journal is not null)
        {
            var snapshotDir = SnapshotDirOf(journal);
            var snapshotTaken = journal.HasEnded(RotationStep.Snapshot);
            gate.CheckSnapshot(journal, snapshotDir);
            if (snapshotTaken) gate.OldKeys(journal, snapshotDir, store.Description);
            // No phase begins before the snapshot ended: stopped while it was taken, the rotation changed nothing.
            else if (action == PhasedAction.Resume)
                gate.Refuse($"rotation {journal.Id.Value} stopped before its snapshot was taken, so no phase ran and nothing was changed. " +
                    "Fix: run RollbackPhased to close it (it changes nothing), then RotatePhased.");
            var current = await gate.ReadAsync(store, cancellationToken);
            var allowed = snapshotTaken ? AllowedPairs(journal) : AllowedPairs(journal).Take(1).ToList();
            if (current is not null && !allowed.Contains(Describe(current)))
                gate.Refuse(new StoreDiffersFromJournalException(store.Description, journal.FilePath, Describe(current),
                    $"a pair its phases put there ({string.Join("; or ", allowed)})",
                    $"put one of those pairs back in {store.Path} (the snapshot's .env holds the old one) and run the phased {action} again").Message);
        }
        gate.ThrowIfRefused();
        return journal!;
    }

    /// <summary>The pairs the journal allows in .env, described as <see cref="Describe(KeySlots)"/> does.</summary>
    static IReadOnlyList<string> AllowedPairs(RotationJournal journal)
    {
        var (oldV1, oldV2, fresh) = (journal.Fact(JournalFacts.OldPrimary), journal.Fact(JournalFacts.OldSecondary), journal.Fact(JournalFacts.NewPrimary));
        var pairs = new List<string> { Describe(oldV1, oldV2) };
        if (fresh is not null) pairs.AddRange([Describe(oldV1, fresh), Describe(fresh, oldV1)]);
        return pairs;
    }

    static string Describe(string? v1, string? v2) => $"V1 {v1 ?? "absent"}, V2 {v2 ?? "absent"}";

    string SnapshotDirOf(RotationJournal journal) => journal.Fact(JournalFacts.Snapshot) ?? settings.Paths.SnapshotDirectory(journal.Id);
}
