namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>How to reach one compose project. Paths are relative to <see cref="DeploymentRoot"/>, which is also compose's working folder.</summary>
public sealed record DockerComposeOptions
{
    public required string DeploymentRoot { get; init; }
    public required string ProjectName { get; init; }
    public string ComposeFile { get; init; } = "docker-compose.yaml";

    /// <summary>Passed to `down -t`: how long each container gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a single compose command (down, up -d) may take.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long Start waits after `up -d` for every container to be running and healthy.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The environment compose would inherit (null: this process's). ROBODJ_* is removed from it in any case.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string ComposeFilePath => Path.GetFullPath(ComposeFile, Path.GetFullPath(DeploymentRoot));
}
