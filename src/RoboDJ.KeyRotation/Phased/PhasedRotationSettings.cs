using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>What the phased rotation works on: the deployment the replicas share, who may log in, and how long a replica may take.</summary>
public sealed record PhasedRotationSettings(DeploymentScope Scope, string Env, DashboardCredentials? Dashboard, TimeSpan VerifyTimeout)
{
    /// <summary>--break-lock: take over a rotation lock whose heartbeat went stale (a dead holder on this host is taken over anyway).</summary>
    public bool BreakLock { get; init; }

    /// <summary>Where the deployment root came from, for the refusal of a deployment without its .env.</summary>
    public DeploymentRootOrigin RootOrigin { get; init; } = new("--deployment-root");

    /// <summary>--keep-snapshots: the same retention as the single host's (<see cref="RunOptions.KeepSnapshots"/>).</summary>
    public int KeepSnapshots { get; init; } = 1;

    public DeploymentPaths Paths => Scope.Paths;
}
