using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;

namespace RoboDJ.KeyRotation.Rotation;

// Each target of the rotation takes the value the one before it returned, so a phase called out of order does not
// compile: Stop needs an OpenedRotation, which only Snapshot (or Resume, from its journal) makes. A dry run walks the
// same chain with values that describe instead of hold (no journal, a key that is never written).

/// <summary>What a target returns: the note its summary row shows, and the value the next target takes.</summary>
public sealed record PhaseResult<T>(string Note, T Value);

/// <summary>
/// Preflight passed: the keys and census it read, the dashboard session it took (for Verify's continuity check), and
/// whether the app's own config saves move the fields (<see cref="RewrapMode"/>).
/// </summary>
public sealed record Preflighted(PreflightReport Report, DashboardSession? Session, bool AppRewraps)
{
    public KeySlots OldKeys => Report.Keys;
}

/// <summary>The window was announced (production: and confirmed).</summary>
public sealed record Announced(Preflighted Preflight);

/// <summary>
/// The snapshot is taken and the rotation journaled. <see cref="Journal"/> is null only in a dry run, which opens none.
/// <see cref="UndecryptableBefore"/>: fields no key opened before the rotation, which Verify may find again.
/// </summary>
public sealed record OpenedRotation(RotationJournal? Journal, KeySlots OldKeys, int UndecryptableBefore, DashboardSession? Session, bool AppRewraps)
{
    public RotationJournal OpenJournal => Journal ?? throw new InvalidOperationException("No rotation journal is open (a dry run opens none).");
}

/// <summary>The app is down; the session taken before Stop, when there is one; what Rotate must rewrap while it is.</summary>
public sealed record StoppedRuntime(OpenedRotation Rotation, DashboardSession? SessionBeforeStop, OfflineRewrap OfflineRewrap);

/// <summary>
/// The config files Rotate rewraps while the app is down: all of them (offline mode, or the app's save left a field
/// only V2 opens), or only those the app's save before Stop did not rewrite (e.g. under logs/, which the app skips).
/// </summary>
public sealed record OfflineRewrap(IReadOnlyList<Config.ScopeFile>? Only, IReadOnlyDictionary<string, FileStamp>? AfterTheSave = null)
{
    public static OfflineRewrap All { get; } = new((IReadOnlyList<Config.ScopeFile>?)null);
    public bool IsNone => Only is { Count: 0 };
    public string Describe => Only is null ? "every config file" : $"{Only.Count} config file(s) the app's save did not rewrite";

    /// <summary>
    /// Once the app is down: a file written after the save (by another writer while the app still served) may hold a
    /// field only V2 opens, so every file new or changed since is rewrapped too. One stat per file, no read.
    /// </summary>
    public OfflineRewrap WithFilesChangedSinceTheSave(IEnumerable<Config.ScopeFile> now, out int changed)
    {
        changed = 0;
        if (Only is null || AfterTheSave is null) return this;
        var only = Only.ToList();
        foreach (var file in now.Except(Only))
            if (AfterTheSave.GetValueOrDefault(file.Relative) != FileStamp.Of(file.Path))
            {
                only.Add(file);
                changed++;
            }
        return changed == 0 ? this : this with { Only = only };
    }
}

/// <summary>A file's length and last write time: enough to tell that it was written, without reading it.</summary>
public readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
    }
}

/// <summary>V2 := the old V1, V1 := <see cref="NewPrimary"/>, and the config rewrapped (or, in a dry run, the key it would write).</summary>
public sealed record RotatedKeys(StoppedRuntime Stopped, FernetKey NewPrimary)
{
    public OpenedRotation Rotation => Stopped.Rotation;
}

/// <summary>The app was started on the new keys: the startup log's offset before it, and the pids whose PASS counts.</summary>
public sealed record StartedRuntime(RotatedKeys Rotated, long LogOffset, IReadOnlySet<int> Pids)
{
    public OpenedRotation Rotation => Rotated.Rotation;
}

/// <summary>A phase's value was asked for, but the target that makes it did not run in this process (e.g. Start invoked alone).</summary>
public sealed class PhaseNotReachedException(string target, Type phase) : Exception(
    $"{target} continues a rotation of this run, but {MadeBy(phase)} did not run in it. Run ./build.sh Rotate (it triggers Start and Verify), " +
    "or ./build.sh Resume to finish an unfinished rotation from its journal.")
{
    static string MadeBy(Type phase) => phase.Name switch
    {
        nameof(Preflighted) => RotationTargets.Preflight,
        nameof(Announced) => RotationTargets.Announce,
        nameof(OpenedRotation) => RotationTargets.Snapshot,
        nameof(StoppedRuntime) => RotationTargets.Stop,
        nameof(RotatedKeys) => RotationTargets.Rotate,
        nameof(StartedRuntime) => RotationTargets.Start,
        _ => phase.Name,
    };
}
