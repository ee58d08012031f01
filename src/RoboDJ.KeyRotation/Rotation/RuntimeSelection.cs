using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Builds the runtime an environment's settings describe.</summary>
public static class RuntimeSelection
{
    public static IRuntime Create(DeploymentSettings settings) => settings.Runtime switch
    {
        RuntimeKind.Docker => new DockerComposeRuntime(new DockerComposeOptions
        {
            DeploymentRoot = settings.Paths.Root,
            ProjectName = settings.ComposeProject
                ?? throw new ArgumentException($"runtime docker needs compose-project in .nuke/parameters.{settings.Env}.json"),
            ComposeFile = settings.ComposeFile,
            StopTimeout = settings.StopTimeout,
            HealthTimeout = settings.StartTimeout,
        }),
        RuntimeKind.Desktop => new DesktopRuntime(new DesktopOptions
        {
            DeploymentRoot = settings.Paths.Root,
            ProcessName = settings.ProcessName,
            PidFile = settings.PidFile,
            Launcher = settings.Launcher,
            LogFile = settings.LauncherLog,
            GracePeriod = settings.StopTimeout,
            StartTimeout = settings.StartTimeout,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Runtime, "runtime is docker or desktop"),
    };
}
