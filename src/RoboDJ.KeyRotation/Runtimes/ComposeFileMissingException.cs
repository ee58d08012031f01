namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ComposeFileMissingException(string path)
    : RuntimeException($"the compose file {path} does not exist. Fix: set the compose file in .nuke/parameters.<env>.json to the deployment's docker-compose.yaml (relative to the deployment root).")
{
    public string Path { get; } = path;
}
