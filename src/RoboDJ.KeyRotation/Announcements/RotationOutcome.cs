using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Announcements;

public enum OutcomeKind
{
    Succeeded,
    /// <summary>The rotation failed and the rollback restored the old keys and config.</summary>
    RolledBack,
    /// <summary>The rotation failed and so did the rollback: manual steps are needed.</summary>
    RollbackFailed,
    /// <summary>Failed before anything changed (e.g. in Preflight or Snapshot).</summary>
    Failed,
}

/// <summary>How the rotation ended, for the closing comment.</summary>
/// <param name="Summary">One line, e.g. "Verify passed" or "Start failed: service web unhealthy". Never a secret.</param>
/// <param name="Primary">The V1 fingerprint now in effect.</param>
/// <param name="Secondary">The V2 fingerprint now in effect.</param>
/// <param name="IncidentLink">The incident issue, when one was opened.</param>
public sealed record RotationOutcome(
    OutcomeKind Kind,
    string Environment,
    string Summary,
    Fingerprint? Primary = null,
    Fingerprint? Secondary = null,
    Uri? IncidentLink = null)
{
    public bool Succeeded => Kind == OutcomeKind.Succeeded;
}
