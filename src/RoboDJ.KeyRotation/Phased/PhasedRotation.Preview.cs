using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// What each phased target would change, for the dry run's door (the build's Effects): read-only. The checks are
/// PreflightPhased's; these only describe, fingerprints only.
/// </summary>
public sealed partial class PhasedRotation
{
    public async Task<IReadOnlyList<string>> PreviewAsync(CancellationToken cancellationToken)
    {
        var old = await ReadPairAsync(cancellationToken);
        var running = await replicas.ReplicasAsync(cancellationToken);
        var census = Census.Take(settings.Scope, new KeyRing(old.Primary!, old.Secondary!));
        var (v1, v2) = (old.Primary!.Fingerprint, old.Secondary!.Fingerprint);
        return
        [
            $"{replicas.Description}: {running.Count} replicas run V1 {v1}, V2 {v2}",
            $"would snapshot {settings.Scope.Describe()} to {settings.Paths.KeyRotation}/<id>/snapshot",
            census.UnderSecondary > 0
                ? $"phase 0: would rewrap {census.UnderSecondary} field(s) under V2 {v2} into V1 through {WriterName(running)}"
                : "phase 0: nothing under V2 to rewrap",
            $"phase 1: would write V1 {v1}, V2 <new key> to {settings.Paths.DotEnv}, then roll it out to every replica",
            $"phase 2: would write V1 <new key>, V2 {v1} to {settings.Paths.DotEnv}, then roll it out to every replica",
            $"phase 3: would save every field ({census.Total}) under the new V1 through {WriterName(running)}, census with the new V1 alone",
            RetentionLine,
            RetireLine,
        ];
    }

    /// <summary>ResumePhased: the phases after the last one that ended, each run whole.</summary>
    public async Task<IReadOnlyList<string>> DescribeResumeAsync(CancellationToken cancellationToken)
    {
        var journal = FindUnfinishedPhased();
        var running = await replicas.ReplicasAsync(cancellationToken);
        var from = LastEndedPhase(journal) is { } done ? PhasedSteps.Number(done) + 1 : 0;
        var newKey = journal.Fact(JournalFacts.NewPrimary) ?? "<new key>";
        return
        [
            $"would resume phased rotation {journal.Id.Value} of {replicas.Description} after {(from == 0 ? "its snapshot" : PhasedSteps.Describe(PhasedSteps.InOrder[from - 1]))}",
            .. PhasedSteps.InOrder.Skip(from).Select(step => "would run " + PhasedSteps.Describe(step) + step switch
            {
                RotationStep.PhaseNewKeyReadable => $" (new key {newKey})",
                RotationStep.PhaseNewKeyPrimary => $" (V1 {newKey})",
                RotationStep.PhaseRewrapUnderV1 or RotationStep.PhaseSingleWriterSave => $" through {WriterName(running)}",
                _ => "",
            }),
            RetentionLine,
            RetireLine,
        ];
    }

    /// <summary>RollbackPhased: the phases that began, reversed in order.</summary>
    public async Task<IReadOnlyList<string>> DescribeRollbackAsync(CancellationToken cancellationToken)
    {
        var journal = FindUnfinishedPhased();
        var running = await replicas.ReplicasAsync(cancellationToken);
        var reached = LastStartedPhase(journal) is { } step ? PhasedSteps.Number(step) : -1;
        var (v1, v2, fresh) = (journal.Fact(JournalFacts.OldPrimary), journal.Fact(JournalFacts.OldSecondary), journal.Fact(JournalFacts.NewPrimary) ?? "<new key>");
        var lines = new List<string> { $"would roll back phased rotation {journal.Id.Value} of {replicas.Description} from {(reached < 0 ? "its snapshot" : PhasedSteps.Describe(PhasedSteps.InOrder[reached]))}" };
        if (reached >= PhasedSteps.Number(RotationStep.PhaseNewKeyPrimary))
            lines.Add($"rollback of phase 2: would write V1 {v1}, V2 {fresh} to {settings.Paths.DotEnv}, then roll it out to every replica");
        if (reached >= PhasedSteps.Number(RotationStep.PhaseNewKeyReadable))
            lines.Add($"rollback of phase 1: would move any field under {fresh} back under V1 {v1} through {WriterName(running)}, " +
                      (reached >= PhasedSteps.Number(RotationStep.PhaseNewKeyPrimary)
                          ? $"and keep {fresh} as V2: the replicas wrote with it (sessions too), so it stays until the next rotation retires it"
                          : $"then write V1 {v1}, V2 {v2} to {settings.Paths.DotEnv} and roll it out to every replica"));
        lines.Add(RetireLine);
        return lines;
    }

    string WriterName(IReadOnlyList<Replica> running) => settings.Dashboard is null ? "the offline rewrap" : $"the config save on {running[0].Name}";

    /// <summary>The single host's words (its Verify note), since it is the same retention.</summary>
    string RetentionLine => "would " + Retention.Describe();

    static string RetireLine => "would remove the key copies the rotation made that no replica uses any more";
}
