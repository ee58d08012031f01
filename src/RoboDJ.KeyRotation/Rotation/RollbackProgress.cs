using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>How far a rollback got, for an honest postmortem: what it restored, what it could not, and where it stopped.</summary>
sealed class RollbackProgress
{
    public string Stage { get; set; } = "start";
    public List<string> Restored { get; } = [];
    public List<RestoreFailure> Failed { get; } = [];
    public string? NotRestoredBecause { get; set; }
    public KeySlots? RestoredKeys { get; set; }
}

/// <summary>The app runs with the restored keys, but some files could not be put back: a person must look at them.</summary>
sealed class RestoreIncompleteException(IReadOnlyList<RestoreFailure> failed)
    : Exception($"{failed.Count} file(s) were not restored: {string.Join("; ", failed.Take(5).Select(f => $"{f.Path} ({f.Reason})"))}. " +
                "Fix what the reason names (e.g. chattr -i, permissions), then run Rollback once more.");
