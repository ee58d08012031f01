using System.Globalization;

namespace RoboDJ.KeyRotation.Swarm;

/// <summary>
/// How the rotation finds the service and its replicas. Each replica is a task slot: its dashboard is
/// <see cref="DashboardUrl"/> with {port} = <see cref="DashboardPortBase"/> + slot (host network, no routing mesh), and its
/// startup log is <see cref="StartupLog"/> with {slot}, relative to the deployment root (each replica mounts its own
/// config/logs, so a key check names its replica).
/// </summary>
public sealed record SwarmOptions(string Service)
{
    public const string DefaultDashboardUrl = "http://127.0.0.1:{port}/";
    public const string DefaultStartupLog = "config/logs/replica-{slot}/startup_safety_events.jsonl";

    public string PrimaryTarget { get; init; } = "robodj_v1";
    public string SecondaryTarget { get; init; } = "robodj_v2";
    public string SecretPrefix { get; init; } = SwarmSecretName.DefaultPrefix;
    public int DashboardPortBase { get; init; } = 8080;
    public string DashboardUrl { get; init; } = DefaultDashboardUrl;
    public string StartupLog { get; init; } = DefaultStartupLog;
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public Uri DashboardOf(long slot) =>
        new(DashboardUrl.Replace("{port}", (DashboardPortBase + slot).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{slot}", slot.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    public string StartupLogOf(string deploymentRoot, long slot) =>
        Path.GetFullPath(Path.Combine(deploymentRoot, StartupLog.Replace("{slot}", slot.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
}
