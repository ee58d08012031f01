namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The launcher log is not a place Start may append the app's output to.</summary>
public sealed class LauncherLogRefusedException(string path, string why)
    : RuntimeException($"the launcher log {path} cannot take the app's output: {why}. Fix: remove it (Start creates it as a regular file), " +
        "or point the launcher log in .nuke/parameters.<env>.json at a file inside the deployment.")
{
    public string Path { get; } = path;
}
