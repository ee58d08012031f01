namespace RoboDJ.KeyRotation.Runtimes;

public sealed class LauncherNotRunnableException(string path, string why)
    : RuntimeException($"the launcher {path} cannot be run: {why}. Fix: point the launcher in .nuke/parameters.<env>.json at the app's start script, " +
        "or correct the script; nothing was changed.")
{
    public string Path { get; } = path;
}
