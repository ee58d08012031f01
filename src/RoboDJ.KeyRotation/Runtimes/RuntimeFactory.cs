namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Picks the runtime from the env's parameters file: "docker" or "desktop".</summary>
public static class RuntimeFactory
{
    public const string Docker = "docker";
    public const string Desktop = "desktop";

    public static IRuntime Create(string kind, DockerComposeOptions? docker, DesktopOptions? desktop) =>
        kind.Trim().ToLowerInvariant() switch
        {
            Docker => new DockerComposeRuntime(docker ?? throw Missing(kind, "compose file and project")),
            Desktop => new DesktopRuntime(desktop ?? throw Missing(kind, "process name and launcher")),
            _ => throw new UnknownRuntimeKindException(kind),
        };

    static ArgumentException Missing(string kind, string what) =>
        new($"runtime '{kind}' needs its options ({what}) in .nuke/parameters.<env>.json", nameof(kind));
}
