using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>--dry-run: the same checks RotateAsync makes first, then what each phase would do; reads only.</summary>
public sealed partial class PhasedRotation
{
    public async Task<IReadOnlyList<string>> PreviewAsync(CancellationToken cancellationToken)
    {
        RequireEnvironment();
        if (RotationJournal.FindUnfinished(KeyRotationDir) is { } unfinished)
            throw new UnfinishedRotationExistsException(unfinished.Id.Value, unfinished.FilePath);
        var old = await ReadPairAsync(cancellationToken);
        var running = await replicas.ReplicasAsync(cancellationToken);
        await verifier.RequireRunningWithAsync(running, old, cancellationToken);
        var census = Census.Take(settings.Scope, new KeyRing(old.Primary!, old.Secondary!));
        census.ThrowIfUndecryptable();
        var writerName = settings.Dashboard is null ? "the offline rewrap" : $"the config save on {running[0].Name}";
        var (v1, v2) = (old.Primary!.Fingerprint, old.Secondary!.Fingerprint);
        return
        [
            $"{replicas.Description}: {running.Count} replicas run V1 {v1}, V2 {v2} (each replica's PASS and dashboard checked)",
            $"would snapshot {settings.Scope.Describe()} to {settings.Paths.KeyRotation}/<id>/snapshot",
            census.UnderSecondary > 0
                ? $"phase 0: would rewrap {census.UnderSecondary} field(s) under V2 {v2} into V1 through {writerName}"
                : "phase 0: nothing under V2 to rewrap",
            $"phase 1: would write V1 {v1}, V2 <new key> to {settings.Paths.DotEnv}, then roll it out to every replica",
            $"phase 2: would write V1 <new key>, V2 {v1} to {settings.Paths.DotEnv}, then roll it out to every replica",
            $"phase 3: would save every field ({census.Total}) under the new V1 through {writerName}, census with the new V1 alone",
            "would remove the key copies the rotation made that no replica uses any more",
        ];
    }
}
