using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Temp files that a killed write of an earlier run left in the deployment (beside .env, under config/ and the
/// rotation's own folder). One beside .env holds keys, so each is shredded (<see cref="Shredder"/>). Called
/// under the rotation lock, when no writer of ours can be at work; the app's own folders (--config-exclusions) are not
/// ours to clean.
/// </summary>
public static class LeftoverTempFiles
{
    public static IReadOnlyList<string> Find(DeploymentScope scope)
    {
        var paths = scope.Paths;
        var underConfig = TempFileName.LeftIn(paths.Config, recursive: true).Where(f => !InExcludedFolder(scope, f));
        // A symlinked .env or config file is written beside its final target, which may be anywhere.
        var besideTargets = scope.Files().Select(f => Path.GetDirectoryName(AtomicFile.FinalTarget(f.Path))!).Distinct()
            .SelectMany(folder => TempFileName.LeftIn(folder, recursive: false));
        return TempFileName.LeftIn(paths.Root, recursive: false).Concat(underConfig).Concat(TempFileName.LeftIn(paths.KeyRotation, recursive: true))
            .Concat(besideTargets)
            // The lock's heartbeat rewrites it while we hold it: its temp file may be in flight.
            .Where(f => !Path.GetFileName(f).StartsWith($".{Path.GetFileName(paths.RotationLock)}.", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public static void Remove(IReadOnlyList<string> files)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"remove {files.Count} leftover temp file(s)");
        foreach (var file in files) Shredder.Remove(file);
    }

    static bool InExcludedFolder(DeploymentScope scope, string file)
    {
        var underConfig = Path.GetRelativePath(scope.Paths.Config, file).Replace('\\', '/');
        return scope.Exclusions.Any(excluded => underConfig.StartsWith(excluded + "/", StringComparison.Ordinal));
    }
}
