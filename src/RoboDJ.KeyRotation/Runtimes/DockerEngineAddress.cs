namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Where the Docker engine listens: DOCKER_HOST when set, else the platform's default socket or pipe.</summary>
public static class DockerEngineAddress
{
    public const string DefaultUnix = "unix:///var/run/docker.sock";
    public const string DefaultWindows = "npipe://./pipe/docker_engine";

    public static Uri Resolve(string? dockerHost)
    {
        var text = string.IsNullOrWhiteSpace(dockerHost) ? (OperatingSystem.IsWindows() ? DefaultWindows : DefaultUnix) : dockerHost.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "npipe" or "http" or "https"))
            throw new DockerEngineUnreachableException(text, "DOCKER_HOST is not a unix://, tcp:// or npipe:// address");
        return uri;
    }

    public static Uri FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        Resolve(environment.TryGetValue("DOCKER_HOST", out var host) ? host : null);
}
