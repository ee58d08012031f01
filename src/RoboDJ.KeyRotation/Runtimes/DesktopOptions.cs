namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>How to find, stop and start the desktop app. Paths are relative to <see cref="DeploymentRoot"/>.</summary>
public sealed record DesktopOptions
{
    public required string DeploymentRoot { get; init; }

    /// <summary>The process name, as Task Manager shows it (without .exe).</summary>
    public string ProcessName { get; init; } = "RoboDJ Automation";

    /// <summary>A file the app writes its pid into at startup (the sandbox does); optional.</summary>
    public string? PidFile { get; init; }

    public string Launcher { get; init; } = "RoboDJ_Launcher.bat";
    public IReadOnlyList<string> LauncherArguments { get; init; } = [];

    /// <summary>The launcher's working folder; the deployment root when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where the launcher's stdout/stderr go (appended); discarded when null.</summary>
    public string? LogFile { get; init; }

    /// <summary>How long the app gets to exit after SIGTERM / close-main-window before its tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long Start waits for the app's process to appear.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the forced kill may take to show effect.</summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The environment the launcher would inherit (null: this process's). ROBODJ_* is removed from it in any case.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string Root => Path.GetFullPath(DeploymentRoot);
    public string LauncherPath => Path.GetFullPath(Launcher, Root);
    public string? PidFilePath => PidFile is null ? null : Path.GetFullPath(PidFile, Root);
    public string WorkingDirectoryPath => WorkingDirectory is null ? Root : Path.GetFullPath(WorkingDirectory, Root);
    public string? LogFilePath => LogFile is null ? null : Path.GetFullPath(LogFile, Root);
}
