using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// The phased targets' Preflight, a gate in the engine's plan (build/Build.Swarm.cs), so no --skip walks around it.
/// Read-only; every problem is reported at once. Rotate and Resume need every replica running and PASS with a pair the
/// journal expects, its dashboard answering, and a census proving no field needs a key the coming phases drop.
/// Rollback needs only what it reads (the snapshot's keys, the replica set): a broken replica is why one rolls back.
/// </summary>
public sealed partial class PhasedRotation
{
    static readonly TimeSpan LockStaleAfter = TimeSpan.FromMinutes(2);

    public async Task<PhasedPreflighted> PreflightAsync(PhasedAction action, CancellationToken cancellationToken)
    {
        var problems = new Rotation.PreflightProblems();
        // A missing .env is one problem, said as such: ROBODJ_ENV and the keys are both read from it.
        var dotEnvMissing = !File.Exists(store.Path);
        if (dotEnvMissing) problems.Add(settings.RootOrigin.DotEnvMissing(store.Path));
        else problems.Check(RequireEnvironment);
        var takeOver = problems.Check(() => Rotation.RotationLock.CheckFree(settings.Paths.RotationLock, LockStaleAfter, settings.BreakLock, DateTimeOffset.UtcNow));
        if (SnapshotRetention.ProblemWith(settings.KeepSnapshots) is { } keepProblem) problems.Add(keepProblem);
        var unfinished = problems.Check(() => RotationJournal.FindUnfinished(KeyRotationDir));
        RotationJournal? journal = null;
        if (action == PhasedAction.Rotate)
        {
            if (unfinished is not null) problems.Add(new UnfinishedRotationExistsException(unfinished.Id.Value, unfinished.FilePath).Message);
        }
        else if (unfinished?.Fact(PhasedFacts.Protocol) == PhasedFacts.ProtocolName) journal = unfinished;
        else problems.Add(new NoUnfinishedPhasedRotationException(KeyRotationDir).Message);

        var keys = !dotEnvMissing && (action == PhasedAction.Rotate || journal is not null) ? await problems.CheckAsync(() => ExpectedKeysAsync(action, journal, cancellationToken)) : null;
        var running = await problems.CheckAsync(() => replicas.ReplicasAsync(cancellationToken));
        if (keys is { Running.Count: > 0 } && running is not null)
            await problems.CheckAsync(async () =>
            {
                await verifier.RequireRunningWithAnyAsync(running, keys.Running, cancellationToken, journal is null ? $"the deployment's .env ({store.Path})" : null);
                return true;
            });
        var census = keys?.Kept is { } kept ? problems.Check(() => RequireNothingNeedsADroppedKey(kept)) : null;
        if (problems.Count > 0) throw new PhasedPreflightFailedException(action, problems);

        var what = journal is null ? "a new phased rotation" : $"phased rotation {journal.Id.Value} ({(LastEndedPhase(journal) is { } done ? PhasedSteps.Describe(done) + " ended" : "no phase ended")})";
        var checkedReplicas = keys!.Running.Count > 0 ? $"{running!.Count} replicas PASS with {string.Join(" or ", keys.Running.Select(Describe))}" : $"{running!.Count} replicas found";
        return new PhasedPreflighted(action, keys.Old, journal?.Id,
            $"{what}: {checkedReplicas}{(census is null ? "" : "; census " + census.Summary)}; " +
            (takeOver is null ? "lock free" : $"lock held by no live rotation, so the phased target takes it over: {takeOver}"));
    }

    /// <summary>The pairs a replica may run now, and the keys the remaining phases keep (null: no census, Rollback).</summary>
    async Task<ExpectedKeys> ExpectedKeysAsync(PhasedAction action, RotationJournal? journal, CancellationToken cancellationToken)
    {
        if (journal is null)
        {
            var pair = await ReadPairAsync(cancellationToken);
            return new ExpectedKeys(pair, [pair], new KeyRing(pair.Primary!, pair.Secondary!));
        }
        var old = await OldPairAsync(journal, cancellationToken);
        var started = LastStartedPhase(journal) is { } s ? PhasedSteps.Number(s) : -1;
        var fresh = started >= PhasedSteps.Number(RotationStep.PhaseNewKeyReadable) && (action == PhasedAction.Resume || started >= PhasedSteps.Number(RotationStep.PhaseNewKeyPrimary))
            ? await NewKeyAsync(journal, cancellationToken)
            : null;
        if (action == PhasedAction.Rollback) return new ExpectedKeys(old, [], null);
        // A phase that began may have reached only some replicas: each runs the pair of the last ended phase or of the next.
        var ended = LastEndedPhase(journal) is { } e ? PhasedSteps.Number(e) : -1;
        var running = new[] { PairAfter(ended, old, fresh), PairAfter(ended + 1, old, fresh) }.OfType<KeySlots>().Distinct().ToList();
        var kept = ended < PhasedSteps.Number(RotationStep.PhaseRewrapUnderV1) ? new KeyRing(old.Primary!, old.Secondary!)
            : fresh is null ? new KeyRing(old.Primary!) : new KeyRing(fresh, old.Primary!);
        return new ExpectedKeys(old, running, kept);
    }

    /// <summary>The pair every replica runs once <paramref name="phase"/> ended (-1: none); null when its key is not made yet.</summary>
    static KeySlots? PairAfter(int phase, KeySlots old, FernetKey? fresh) => phase switch
    {
        <= 0 => old,
        _ when fresh is null => null,
        1 => new KeySlots(old.Primary, fresh),
        _ => new KeySlots(fresh, old.Primary),
    };

    CensusReport RequireNothingNeedsADroppedKey(KeyRing kept)
    {
        var census = Census.Take(settings.Scope, kept);
        census.ThrowIfUndecryptable();
        return census;
    }

    static string Describe(KeySlots pair) => $"V1 {pair.Primary?.Fingerprint.ToString() ?? "absent"}, V2 {pair.Secondary?.Fingerprint.ToString() ?? "absent"}";

    sealed record ExpectedKeys(KeySlots Old, IReadOnlyList<KeySlots> Running, KeyRing? Kept);
}

/// <summary>What the phased Preflight cleared: the action, the pre-rotation keys (for the announcement) and its note.</summary>
public sealed record PhasedPreflighted(PhasedAction Action, KeySlots OldKeys, RotationId? Rotation, string Note);
