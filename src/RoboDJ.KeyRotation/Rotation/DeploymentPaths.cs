using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Where things are in a RoboDJ deployment (DESIGN.md §5). Every path is absolute.</summary>
public sealed record DeploymentPaths
{
    public DeploymentPaths(string root)
    {
        if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The deployment root is empty; set --deployment-root.", nameof(root));
        Root = Path.GetFullPath(root);
        KeyRotation = Path.Combine(Root, KeyRotationFolder);
    }

    /// <summary>The pipeline's own folder, a sibling of config/: the app's backups and config saves never copy retired keys.</summary>
    public const string KeyRotationFolder = "key_rotation";

    public string Root { get; }
    public string DotEnv => Path.Combine(Root, ".env");
    public string Config => Path.Combine(Root, "config");
    public string EnvContract => Path.Combine(Config, "env_contract.json");
    public string StartupLog => Path.Combine(Config, "logs", "startup_safety_events.jsonl");
    public string Agents => Path.Combine(Config, "agents");
    /// <summary>Journals, snapshots and the lock (mode 0700), outside the app's config tree.</summary>
    public string KeyRotation { get; }
    public string RotationLock => Path.Combine(KeyRotation, "rotation.lock");
    public string Incidents => Path.Combine(Config, "incidents");
    public string StartupSafetyScript => Path.Combine(Config, "scripts", "startup_safety.py");

    public string JournalDirectory(RotationId id) => Path.Combine(KeyRotation, id.Value);
    public string SnapshotDirectory(RotationId id) => Path.Combine(KeyRotation, id.Value, "snapshot");

    public override string ToString() => Root;
}
