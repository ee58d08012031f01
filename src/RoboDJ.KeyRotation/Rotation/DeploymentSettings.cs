using RoboDJ.KeyRotation.Config;

namespace RoboDJ.KeyRotation.Rotation;

public enum RuntimeKind { Docker, Desktop }

public enum StoreKind { DotEnv, GitHubEnvironment, GitHubRepository }

/// <summary>
/// One environment's deployment, as .nuke/parameters.&lt;env&gt;.json describes it. Secrets (tokens, passwords) never
/// live here; they come from the environment.
/// </summary>
public sealed record DeploymentSettings
{
    public required string Env { get; init; }
    public required DeploymentPaths Paths { get; init; }
    /// <summary>Where the root came from, for errors about the folder and its .env.</summary>
    public DeploymentRootOrigin RootOrigin { get; init; } = new("--deployment-root");
    /// <summary>Folders under config/ the rotation leaves alone (never counted, rewrapped, snapshotted or restored).</summary>
    public IReadOnlyList<string> ConfigExclusions { get; init; } = DeploymentScope.DefaultExclusions;
    /// <summary>Files or folders outside the root that a link in the scope may point at (--allow-link-targets).</summary>
    public IReadOnlyList<string> AllowedLinkTargets { get; init; } = [];
    /// <summary>The files this deployment's rotation may touch.</summary>
    public DeploymentScope Scope => new(Paths, ConfigExclusions, AllowedLinkTargets);
    public RuntimeKind Runtime { get; init; } = RuntimeKind.Docker;
    public StoreKind Store { get; init; } = StoreKind.DotEnv;

    // docker
    public string ComposeFile { get; init; } = "docker-compose.yaml";
    public string? ComposeProject { get; init; }

    // desktop
    public string ProcessName { get; init; } = "RoboDJ Automation";
    public string Launcher { get; init; } = "RoboDJ_Launcher.bat";
    public string? PidFile { get; init; }
    /// <summary>Where the launcher's output goes, relative to the root; null discards it.</summary>
    public string? LauncherLog { get; init; }

    // dashboard
    public Uri? DashboardUrl { get; init; }
    /// <summary>--dashboard-url none: no dashboard checks at all, not even from the deployment's ROBODJ_DASHBOARD_URL.</summary>
    public bool DashboardChecksOff { get; init; }
    public string DashboardUser { get; init; } = "admin";

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How old an agent's heartbeat may be and still count as active.</summary>
    public TimeSpan AgentFreshness { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How old a rotation lock's heartbeat may be before it counts as stale.</summary>
    public TimeSpan LockStaleAfter { get; init; } = TimeSpan.FromMinutes(2);

    public IReadOnlyList<string> AnnouncementChannels { get; init; } = ["log"];

    /// <summary>The runtime kind's paths resolved against the deployment root.</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Paths.Root, path));
}
