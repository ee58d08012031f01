using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;

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
