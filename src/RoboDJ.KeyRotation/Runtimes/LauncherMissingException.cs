namespace RoboDJ.KeyRotation.Runtimes;

public sealed class LauncherMissingException(string path)
    : RuntimeException($"the launcher {path} does not exist. Fix: set the launcher (e.g. RoboDJ_Launcher.bat) in .nuke/parameters.<env>.json, relative to the deployment root.")
{
    public string Path { get; } = path;
}
