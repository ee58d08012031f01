using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// Rollback reverses the phases in order, each one journaled as undone so a rollback that dies is run again from there:
/// phase 2 back to V1 = old, V2 = new (everyone still reads what anyone wrote); phase 1 by one writer moving anything
/// under the new key back under the old V1 and a census proving the pre-rotation pair opens every field, then V1 = old,
/// V2 = the pre-rotation V2 everywhere. Once phase 2 began, though, the replicas wrote with the new key, and what the
/// app keeps outside its config (dashboard sessions) cannot be moved back: the new key then stays as V2 (V1 = old,
/// V2 = new), so none of it stops opening, and the next rotation retires it.
/// Phase 0 needs no reversal: its rewrap kept every value, under a key that stays.
/// </summary>
public sealed partial class PhasedRotation
{
    /// <summary>Undoes the unfinished phased rotation, once its gate passed before the lock and again under it.</summary>
    public async Task<RotationId> RollbackAsync(CancellationToken cancellationToken)
    {
        await CheckRecoveryInputsAsync(PhasedAction.Rollback, cancellationToken);
        return await UnderLockAsync(() => RollbackUnderLockAsync(cancellationToken));
    }

    async Task<RotationId> RollbackUnderLockAsync(CancellationToken cancellationToken)
    {
        var journal = open = await CheckRecoveryInputsAsync(PhasedAction.Rollback, cancellationToken);
        var reached = LastStartedPhase(journal) is { } step ? PhasedSteps.Number(step) : -1;
        var undone = UndonePhases(journal.Entries);
        var old = await OldPairAsync(journal, cancellationToken);
        var newKeyWrote = reached >= PhasedSteps.Number(RotationStep.PhaseNewKeyPrimary);
        // A rerun after phase 1 was undone reads what that undo left in .env.
        var final = !newKeyWrote ? old
            : undone.Contains(nameof(RotationStep.PhaseNewKeyReadable)) ? await ReadPairAsync(cancellationToken)
            : new KeySlots(old.Primary, await NewKeyAsync(journal, cancellationToken));
        journal.Started(RotationStep.Rollback, new Dictionary<string, string> { [JournalFacts.Target] = reached < 0 ? "snapshot" : PhasedSteps.InOrder[reached].ToString() });
        Log.Information("Rolling back phased rotation {Rotation} from {Phase}", journal.Id.Value, reached < 0 ? "its snapshot" : PhasedSteps.Describe(PhasedSteps.InOrder[reached]));

        if (newKeyWrote && !undone.Contains(nameof(RotationStep.PhaseNewKeyPrimary)))
        {
            progress?.Report(new("rollback of phase 2: V1 = old, V2 = new on every replica"));
            await RollOutAndVerifyAsync(final, cancellationToken);
            journal.Ended(RotationStep.Rollback, new Dictionary<string, string> { [PhasedFacts.Undone] = nameof(RotationStep.PhaseNewKeyPrimary) });
        }
        if (reached >= PhasedSteps.Number(RotationStep.PhaseNewKeyReadable) && !undone.Contains(nameof(RotationStep.PhaseNewKeyReadable)))
        {
            progress?.Report(new(newKeyWrote
                ? "rollback of phase 1: anything under the new key back under the old V1; the new key stays as V2, for the sessions the replicas issued under it"
                : "rollback of phase 1: anything under the new key back under the old V1, then the pre-rotation pair on every replica"));
            await MoveOffNewKeyAsync(journal, old, final, cancellationToken);
            if (!newKeyWrote) await RollOutAndVerifyAsync(old, cancellationToken);
            journal.Ended(RotationStep.Rollback, new Dictionary<string, string> { [PhasedFacts.Undone] = nameof(RotationStep.PhaseNewKeyReadable) });
        }
        var rolledBack = new Dictionary<string, string>
        {
            [JournalFacts.OldPrimary] = old.Primary!.Fingerprint.ToString(),
            [JournalFacts.OldSecondary] = old.Secondary!.Fingerprint.ToString(),
        };
        if (KeepsNewKey(final, old)) rolledBack[PhasedFacts.KeptSecondary] = final.Secondary!.Fingerprint.ToString();
        journal.Ended(RotationStep.RolledBack, rolledBack);
        await ApplyRetentionAsync(journal, cancellationToken);
        Log.Information("Phased rotation {Rotation} rolled back: V1 {Primary}, V2 {Secondary} on every replica", journal.Id.Value,
            final.Primary!.Fingerprint.ToString(), final.Secondary!.Fingerprint.ToString());
        return journal.Id;
    }

    /// <summary>
    /// Nothing may stay under the new key, and the pair the rollback leaves (<paramref name="final"/>) must open every
    /// field; the replicas run (old, new), so one saves.
    /// </summary>
    async Task MoveOffNewKeyAsync(RotationJournal journal, KeySlots old, KeySlots final, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(cancellationToken);
        var named = journal.Fact(JournalFacts.NewPrimary);
        // .env never got the new key: it was never rolled out, so no field can be under it.
        var fresh = new[] { current.Primary, current.Secondary }.FirstOrDefault(k => k is not null && k.Fingerprint.ToString() == named);
        if (fresh is not null && Census.Take(settings.Scope, new KeyRing(old.Primary!, fresh, old.Secondary!)).CountUnder(fresh) > 0)
        {
            var running = await replicas.ReplicasAsync(cancellationToken);
            await writer.RewrapAsync(new KeyRing(old.Primary!, fresh), running[0], cancellationToken);
        }
        var census = Census.Take(settings.Scope, new KeyRing(final.Primary!, final.Secondary!));
        var left = census.Undecryptable.Count + (KeepsNewKey(final, old) ? census.UnderSecondary : 0);
        if (left > 0)
            throw new PhaseCensusException("rollback of phase 1", $"{left} field(s) would not open under the old V1 with the V2 the rollback leaves ({census.Summary})",
                "The new key stays in place; run RollbackPhased again once the fields are saved, or ResumePhased to finish the rotation instead.");
    }

    static bool KeepsNewKey(KeySlots final, KeySlots old) => final.Secondary!.Fingerprint != old.Secondary!.Fingerprint;
}
