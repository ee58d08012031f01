using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using Serilog;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// AnnouncePhased, the gate after PreflightPhased: production goes on only with --confirm production (or the GitHub
/// environment's approval), exactly as the stop-and-start Announce decides it (<see cref="ProductionGuard"/>); then the
/// notice goes to the log. The replicas keep serving, so unlike Announce it names no outage and lists no broadcasts.
/// </summary>
public static class PhasedAnnouncement
{
    public static string Announce(string env, string? confirm, string? approvedEnvironment, string replicaSet, PhasedPreflighted preflighted)
    {
        ProductionGuard.Check(env, confirm, approvedEnvironment);
        var (v1, v2) = (preflighted.OldKeys.Primary?.Fingerprint.ToString() ?? "absent", preflighted.OldKeys.Secondary?.Fingerprint.ToString() ?? "absent");
        var what = preflighted.Action switch
        {
            PhasedAction.Resume => $"resuming phased rotation {preflighted.Rotation?.Value}",
            PhasedAction.Rollback => $"rolling back phased rotation {preflighted.Rotation?.Value}",
            _ => "phased key rotation",
        };
        var notice = $"{what} of {env} ({replicaSet}), run by {Actor.Current()}; every replica keeps serving. " +
                     (preflighted.Action == PhasedAction.Rollback ? $"Back to V1 {v1}; V2 {v2}, or the rotation's new key once the replicas wrote with it (phase 2 on)." : $"V1 {v1} becomes V2; V2 {v2} is retired.");
        Log.Information("Announcement: {Notice}", notice);
        return notice;
    }
}
