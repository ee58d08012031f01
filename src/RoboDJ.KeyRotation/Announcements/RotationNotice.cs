using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>What stakeholders are told before the window: where, when, who, which keys go, and what it may disturb.</summary>
/// <param name="Environment">The env being rotated, e.g. "staging".</param>
/// <param name="Operator">Who runs it: the Actions actor or the local user.</param>
/// <param name="OldPrimary">Fingerprint of the V1 that becomes V2.</param>
/// <param name="OldSecondary">Fingerprint of the V2 that is dropped.</param>
/// <param name="UpcomingBroadcasts">Broadcasts scheduled inside the window, as the dashboard names them (runbook §1).</param>
/// <param name="RotationId">The journal's rotation id, when known, so the issue and the journal can be matched.</param>
public sealed record RotationNotice(
    string Environment,
    RotationWindow Window,
    string Operator,
    Fingerprint? OldPrimary,
    Fingerprint? OldSecondary,
    IReadOnlyList<string> UpcomingBroadcasts,
    string? RotationId = null);
