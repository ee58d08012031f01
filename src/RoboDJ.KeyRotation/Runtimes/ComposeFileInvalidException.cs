namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ComposeFileInvalidException(string path, string composeSays)
    : RuntimeException($"the compose file {path} is not valid; compose says: {composeSays.ReplaceLineEndings(" ")} " +
        $"Fix: correct the file (check it with `docker compose -f {System.IO.Path.GetFileName(path)} config` in the deployment root). Nothing was changed.")
{
    public string Path { get; } = path;
}
