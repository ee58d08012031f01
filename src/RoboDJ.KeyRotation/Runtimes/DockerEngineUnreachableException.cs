namespace RoboDJ.KeyRotation.Runtimes;

public sealed class DockerEngineUnreachableException(string address, string reason, Exception? inner = null)
    : RuntimeException($"no Docker engine answers at {address}: {reason}. Fix: start dockerd, or point DOCKER_HOST at the engine's socket (unix:///path/docker.sock or tcp://127.0.0.1:2375).", inner)
{
    public string Address { get; } = address;
}
