using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// Where each key is read back from: the pre-rotation pair from the snapshot's .env (hash-checked), the new key from the
/// deployment's .env, each matched against the fingerprints in the journal.
/// </summary>
public sealed partial class PhasedRotation
{
    async Task<KeySlots> ReadPairAsync(CancellationToken cancellationToken)
    {
        var slots = await store.ReadAsync(cancellationToken);
        if (slots.Primary is null) throw new MissingKeyException(store.Path, KeySlots.PrimaryName);
        if (slots.Secondary is null) throw new MissingKeyException(store.Path, KeySlots.SecondaryName);
        return slots;
    }

    /// <summary>The pre-rotation pair, from the snapshot's copy of .env (hash-checked), matched against the journal.</summary>
    Task<KeySlots> OldPairAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Stopped before its snapshot ended, the rotation changed nothing: .env holds the old pair (the gate checked it).
        if (!journal.HasEnded(RotationStep.Snapshot)) return ReadPairAsync(cancellationToken);
        var old = RecoveryGate.ReadOldKeys(journal, SnapshotDirOf(journal), store.Description);
        if (old.Secondary is null) throw new MissingKeyException(Path.Combine(SnapshotDirOf(journal), ".env"), KeySlots.SecondaryName);
        return Task.FromResult(old);
    }

    /// <summary>The new key, from .env (either slot), as the journal names it.</summary>
    async Task<FernetKey> NewKeyAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        var named = journal.Fact(JournalFacts.NewPrimary) ?? throw new PhasedKeyMissingException("the new key", "not journaled", store.Path);
        var current = await store.ReadAsync(cancellationToken);
        return new[] { current.Primary, current.Secondary }.FirstOrDefault(k => k?.Fingerprint.ToString() == named)
            ?? throw new PhasedKeyMissingException("the new key", named, store.Path);
    }
}
