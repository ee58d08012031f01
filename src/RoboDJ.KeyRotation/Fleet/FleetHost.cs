namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// One host's RoboDJ deployment as the fleet file lists it: its own root (its own .env and app), the self-hosted
/// runner label its GitHub Actions job runs on, its dashboard (127.0.0.1 only) and the startup log only its app writes.
/// The desktop settings say how its app is stopped and started. Paths are absolute.
/// </summary>
public sealed record FleetHost(string Name, string Runner, string Root, Uri Dashboard, string StartupLog)
{
    /// <summary>The line of the fleet file that starts this host's entry, for messages that send the operator there.</summary>
    public int Line { get; init; }
    public string DotEnv => Path.Combine(Root, ".env");
    public string Launcher { get; init; } = "RoboDJ_Launcher.sh";
    public string ProcessName { get; init; } = "RoboDJ Automation";
    public string? PidFile { get; init; }
    public string? LauncherLog { get; init; }

    public Phased.Replica AsReplica() => new(Name, Dashboard, StartupLog);

    /// <summary>
    /// The files of this host's rotation: its config/ is a link to the fleet's shared tree, outside its own root, which
    /// the fleet file (a host entry shares the tree, SharedConfigTree) allows by name, as --allow-link-targets would.
    /// </summary>
    public Config.DeploymentScope Scope(IReadOnlyList<string> exclusions, IReadOnlyList<string> allowedLinkTargets) =>
        new(new Rotation.DeploymentPaths(Root), exclusions, [.. allowedLinkTargets, Pipeline.IO.RealPath.Of(Path.Combine(Root, "config"))]);
}

/// <summary>The desktop settings of a host entry that sets none of its own (from --launcher, --process-name, ...); relative to its root.</summary>
public sealed record FleetHostDefaults(string Launcher = "RoboDJ_Launcher.sh", string ProcessName = "RoboDJ Automation", string? PidFile = null, string? LauncherLog = null);
