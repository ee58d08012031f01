using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;
using Serilog;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// Zero-downtime rotation of replicas that share one config tree (issue 12, "two slots"): phase 0 rewraps anything under
/// V2 into V1, phase 1 rolls out V1 = old, V2 = new, phase 2 V1 = new, V2 = old, phase 3 has one writer save the config
/// under the new V1. No phase starts before every replica of the previous one shows PASS with the expected fingerprints.
/// Key material between phases: the deployment's .env always holds the pair being rolled out, written atomically before
/// any replica can receive it (so a key a replica uses is always readable there); the replica set's own copies (Swarm
/// secret objects) are second copies; the pre-rotation .env is in the snapshot. The journal has fingerprints only.
/// </summary>
public sealed partial class PhasedRotation(PhasedRotationSettings settings, IReplicaSet replicas, IProgress<LogMessage>? progress = null)
{
    readonly DotEnvSecretStore store = new(settings.Paths.DotEnv);
    readonly ReplicaVerifier verifier = new(settings.Dashboard, settings.VerifyTimeout);
    readonly SingleWriter writer = new(settings.Scope, settings.Dashboard);

    /// <summary>Called after each phase's Ended line is on disk: the tests' "killed at a phase boundary" hook.</summary>
    public Func<RotationStep, CancellationToken, Task>? AfterPhase { get; init; }

    string KeyRotationDir => settings.Paths.KeyRotation;

    /// <summary>
    /// The rotation this run opened, continued or rolled back is still unfinished (a phase failed, or the run stopped at
    /// a phase boundary): ResumePhased or RollbackPhased must follow (exit 5).
    /// </summary>
    public bool LeftOpen => open is { IsFinished: false };
    /// <summary>The rotation this run created or continued; null before it opened one.</summary>
    public RotationId? OpenRotation => open?.Id;
    RotationJournal? open;

    /// <summary>Runs after PreflightPhased and AnnouncePhased (the gates in build/Build.Swarm.cs); re-checks the journal under the lock.</summary>
    public Task<RotationId> RotateAsync(CancellationToken cancellationToken) => UnderLockAsync(async () =>
    {
        if (RotationJournal.FindUnfinished(KeyRotationDir) is { } unfinished)
            throw new UnfinishedRotationExistsException(unfinished.Id.Value, unfinished.FilePath);
        var old = await ReadPairAsync(cancellationToken);
        var running = await replicas.ReplicasAsync(cancellationToken);
        await verifier.RequireRunningWithAsync(running, old, cancellationToken);

        var id = RotationId.New(DateTimeOffset.UtcNow);
        var journal = open = RotationJournal.Create(KeyRotationDir, id, settings.Env, Actor.Current(), new Dictionary<string, string>
        {
            [PhasedFacts.Protocol] = PhasedFacts.ProtocolName,
            [JournalFacts.OldPrimary] = old.Primary!.Fingerprint.ToString(),
            [JournalFacts.OldSecondary] = old.Secondary!.Fingerprint.ToString(),
            [PhasedFacts.Replicas] = replicas.Description,
        });
        Log.Information("Phased rotation {Rotation} of {Replicas}: {Count} replicas, V1 {Primary}, V2 {Secondary}", id.Value,
            replicas.Description, running.Count, old.Primary.Fingerprint.ToString(), old.Secondary.Fingerprint.ToString());
        var snapshotDir = settings.Paths.SnapshotDirectory(id);
        journal.Started(RotationStep.Snapshot);
        await new SnapshotStore(settings.Scope).CreateAsync(snapshotDir, cancellationToken);
        journal.Ended(RotationStep.Snapshot, new Dictionary<string, string> { [JournalFacts.Snapshot] = snapshotDir });
        await ContinueAsync(journal, cancellationToken);
        return id;
    });

    /// <summary>
    /// Continues the unfinished phased rotation at the phase after the last one that ended, once its gate passed before
    /// the lock and again under it.
    /// </summary>
    public async Task<RotationId> ResumeAsync(CancellationToken cancellationToken)
    {
        await CheckRecoveryInputsAsync(PhasedAction.Resume, cancellationToken);
        return await UnderLockAsync(() => ResumeUnderLockAsync(cancellationToken));
    }

    async Task<RotationId> ResumeUnderLockAsync(CancellationToken cancellationToken)
    {
        var journal = open = await CheckRecoveryInputsAsync(PhasedAction.Resume, cancellationToken);
        Log.Information("Resuming phased rotation {Rotation} after {Step}", journal.Id.Value, LastEndedPhase(journal)?.ToString() ?? "its snapshot");
        await ContinueAsync(journal, cancellationToken);
        return journal.Id;
    }

    async Task ContinueAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        var last = LastEndedPhase(journal);
        var from = last is { } done ? PhasedSteps.Number(done) + 1 : 0;
        foreach (var step in PhasedSteps.InOrder.Skip(from))
        {
            progress?.Report(new(PhasedSteps.Describe(step)));
            switch (step)
            {
                case RotationStep.PhaseRewrapUnderV1: await RewrapUnderV1Async(journal, cancellationToken); break;
                case RotationStep.PhaseNewKeyReadable: await NewKeyReadableAsync(journal, cancellationToken); break;
                case RotationStep.PhaseNewKeyPrimary: await NewKeyPrimaryAsync(journal, cancellationToken); break;
                case RotationStep.PhaseSingleWriterSave: await SingleWriterSaveAsync(journal, cancellationToken); break;
            }
            if (AfterPhase is { } hook) await hook(step, cancellationToken);
        }
        journal.Ended(RotationStep.Completed, new Dictionary<string, string> { [JournalFacts.NewPrimary] = journal.Fact(JournalFacts.NewPrimary)! });
        var retention = await ApplyRetentionAsync(journal, cancellationToken);
        Log.Information("Phased rotation {Rotation} completed: V1 {Primary} on every replica; {Retention}", journal.Id.Value, journal.Fact(JournalFacts.NewPrimary), retention);
    }

    SnapshotRetention Retention => new(settings.Scope, settings.KeepSnapshots);

    /// <summary>The single host's retention of snapshots, with the replica set's own key copies retired in the same line.</summary>
    Task<string> ApplyRetentionAsync(RotationJournal journal, CancellationToken cancellationToken) =>
        Retention.AfterRotationAsync(journal, store, async ct => new Dictionary<string, string>
        {
            [PhasedFacts.Retired] = string.Join(",", await replicas.RetireUnusedKeysAsync(ct)),
        }, cancellationToken);

    /// <summary>Phase 0: nothing may stay under V2, because phase 1 drops it from every replica.</summary>
    async Task RewrapUnderV1Async(RotationJournal journal, CancellationToken cancellationToken)
    {
        var old = await OldPairAsync(journal, cancellationToken);
        journal.Started(RotationStep.PhaseRewrapUnderV1);
        var ring = new KeyRing(old.Primary!, old.Secondary!);
        var census = Census.Take(settings.Scope, ring);
        census.ThrowIfUndecryptable();
        var facts = new Dictionary<string, string> { [JournalFacts.Rewrapped] = census.UnderSecondary.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (census.UnderSecondary > 0)
        {
            var running = await replicas.ReplicasAsync(cancellationToken);
            facts[PhasedFacts.Writer] = await writer.RewrapAsync(ring, running[0], cancellationToken);
            RequireNoneUnder(ring, "phase 0", "V2", "Fields written under V2 after the save? Run ResumePhased to save again.");
        }
        journal.Ended(RotationStep.PhaseRewrapUnderV1, facts);
    }

    /// <summary>Phase 1: the new key is written to .env first, then every replica gets it as V2 (read-only).</summary>
    async Task NewKeyReadableAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        var old = await OldPairAsync(journal, cancellationToken);
        var current = await store.ReadAsync(cancellationToken);
        // A key the journal names and .env holds may already be on replicas: keep it. One .env never got was never rolled
        // out (the rollout starts after the write), so a fresh key loses nothing.
        var fresh = journal.Fact(JournalFacts.NewPrimary) is { } named && current.Secondary?.Fingerprint.ToString() == named
            ? current.Secondary
            : FernetKey.Generate();
        if (fresh.Equals(old.Primary) || fresh.Equals(old.Secondary)) fresh = FernetKey.Generate();
        journal.Started(RotationStep.PhaseNewKeyReadable, new Dictionary<string, string> { [JournalFacts.NewPrimary] = fresh.Fingerprint.ToString() });
        await RollOutAndVerifyAsync(new KeySlots(old.Primary, fresh), cancellationToken);
        journal.Ended(RotationStep.PhaseNewKeyReadable, new Dictionary<string, string> { [JournalFacts.NewPrimary] = fresh.Fingerprint.ToString() });
    }

    /// <summary>Phase 2: every replica encrypts with the new key and still reads the old one.</summary>
    async Task NewKeyPrimaryAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        var old = await OldPairAsync(journal, cancellationToken);
        var fresh = await NewKeyAsync(journal, cancellationToken);
        journal.Started(RotationStep.PhaseNewKeyPrimary);
        await RollOutAndVerifyAsync(new KeySlots(fresh, old.Primary), cancellationToken);
        journal.Ended(RotationStep.PhaseNewKeyPrimary);
    }

    /// <summary>Phase 3: one writer moves every field under the new V1; then every replica is checked once more.</summary>
    async Task SingleWriterSaveAsync(RotationJournal journal, CancellationToken cancellationToken)
    {
        var old = await OldPairAsync(journal, cancellationToken);
        var fresh = await NewKeyAsync(journal, cancellationToken);
        journal.Started(RotationStep.PhaseSingleWriterSave);
        var running = await replicas.ReplicasAsync(cancellationToken);
        var ring = new KeyRing(fresh, old.Primary!);
        var who = await writer.RewrapAsync(ring, running[0], cancellationToken);
        var census = Census.Take(settings.Scope, new KeyRing(fresh));
        if (census.UnderPrimary != census.Total)
            throw new PhaseCensusException("phase 3", $"{census.Total - census.UnderPrimary} of {census.Total} fields do not open with the new V1 alone ({census.Summary})",
                "Run ResumePhased to save again; fields no key opens need a person's decision.");
        await verifier.RequireRunningWithAsync(running, new KeySlots(fresh, old.Primary), cancellationToken);
        journal.Ended(RotationStep.PhaseSingleWriterSave, new Dictionary<string, string>
        {
            [PhasedFacts.Writer] = who,
            [JournalFacts.Rewrapped] = census.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>.env first (the readable copy), then the replicas, then each replica's fresh PASS with exactly these keys.</summary>
    async Task RollOutAndVerifyAsync(KeySlots slots, CancellationToken cancellationToken)
    {
        await store.WriteAsync(slots, cancellationToken);
        var running = await replicas.ReplicasAsync(cancellationToken);
        var offsets = ReplicaVerifier.Offsets(running);
        // A rollout changes no file of ours on Swarm (secret objects), so the fence is asked here too.
        WriteFence.ThrowIfFenced($"the rollout of V1 {slots.Primary?.Fingerprint}, V2 {slots.Secondary?.Fingerprint} to {replicas.Description}");
        await replicas.RollOutAsync(slots, progress, cancellationToken);
        await verifier.VerifyAsync(running, offsets, slots, progress, cancellationToken);
    }

    void RequireNoneUnder(KeyRing ring, string phase, string slot, string fix)
    {
        var census = Census.Take(settings.Scope, ring);
        census.ThrowIfUndecryptable();
        if (census.UnderSecondary > 0) throw new PhaseCensusException(phase, $"{census.UnderSecondary} field(s) still open only with {slot} ({census.Summary})", fix);
    }

    /// <summary>The deployment is the one --env names (its .env's ROBODJ_ENV); production's confirmation is AnnouncePhased's gate.</summary>
    void RequireEnvironment()
    {
        var declared = File.Exists(store.Path) ? DotEnvFile.Load(store.Path)[Rotation.Preflight.EnvVariable] : null;
        if (declared != settings.Env)
            throw new PhasedRotationRefusedException($"{store.Path}: {Rotation.Preflight.EnvVariable} is '{declared ?? "not set"}' but --env is '{settings.Env}'",
                $"rerun with --env {declared ?? "<its environment>"}, or point deployment-root at the {settings.Env} deployment");
    }

    /// <summary>
    /// Runs <paramref name="body"/> under the same lock as the stop-and-start rotation (one rotation of a deployment at a
    /// time, whichever kind), with every write of its flow behind the lock's fence. A run fenced by another that took
    /// the lock over journals what it had done and leaves the rotation to that run.
    /// </summary>
    async Task<RotationId> UnderLockAsync(Func<Task<RotationId>> body)
    {
        var created = !Directory.Exists(KeyRotationDir);
        Directory.CreateDirectory(KeyRotationDir);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyRotationDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var held = Rotation.RotationLock.Acquire(settings.Paths.RotationLock, settings.Env, Actor.Current(), LockStaleAfter, settings.BreakLock,
            removeFolderWhenLeftEmpty: created);
        using var fence = WriteFence.Enter(held);
        try { return await body(); }
        // Whatever stopped the phases, a run whose lock was taken over says so: the rotation is the other run's now.
        catch (Exception e) when ((e as Rotation.RotationLockLostException ?? held.Fenced($"going on after: {SecretRedactor.Redact(e.Message)}")) is { } lost)
        {
            if (open is { } journal) held.RecordFenced(journal, step: null, lost);
            open = null;
            if (lost == e) throw;
            throw lost;
        }
    }

    RotationJournal FindUnfinishedPhased()
    {
        var journal = RotationJournal.FindUnfinished(KeyRotationDir);
        if (journal is null || journal.Fact(PhasedFacts.Protocol) != PhasedFacts.ProtocolName)
            throw new NoUnfinishedPhasedRotationException(KeyRotationDir);
        return journal;
    }

    /// <summary>
    /// The last phase that ended and still holds: one a later rollback undid no longer does, so Resume after a rollback
    /// that stopped half-way rolls that phase out again instead of building on it.
    /// </summary>
    static RotationStep? LastEndedPhase(RotationJournal journal)
    {
        var entries = journal.Entries;
        var undone = UndonePhases(entries);
        return entries.LastOrDefault(e => e.Phase == StepPhase.Ended && PhasedSteps.InOrder.Contains(e.Step) && !undone.Contains(e.Step.ToString()))?.Step;
    }

    /// <summary>The phases a rollback undid (its Undone lines) and no Resume ran again since.</summary>
    static HashSet<string> UndonePhases(IReadOnlyList<JournalEntry> entries)
    {
        int LastIndex(Func<JournalEntry, bool> match) => Enumerable.Range(0, entries.Count).LastOrDefault(i => match(entries[i]), -1);
        return PhasedSteps.InOrder.Select(step => step.ToString())
            .Where(name => LastIndex(e => e.Step == RotationStep.Rollback && e.Phase == StepPhase.Ended && e.Fact(PhasedFacts.Undone) == name)
                           > LastIndex(e => e.Step.ToString() == name))
            .ToHashSet(StringComparer.Ordinal);
    }

    static RotationStep? LastStartedPhase(RotationJournal journal) =>
        journal.Entries.LastOrDefault(e => e.Phase == StepPhase.Started && PhasedSteps.InOrder.Contains(e.Step))?.Step;
}
