using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Swarm;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>A single-node swarm on the test engine: .ci/run initialises it (`docker swarm init --advertise-addr 127.0.0.1`).</summary>
static class SwarmPeer
{
    /// <summary>The test engine (DOCKER_HOST), through the rotation's own Swarm API client.</summary>
    public static SwarmEngine Engine() => new(DockerEngineAddress.Resolve(Environment.GetEnvironmentVariable("DOCKER_HOST")));

    public static void Require()
    {
        DockerPeer.RequireImage();
        var (code, stdout, _) = DockerCli.TryRun(null, "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}");
        if (code != 0 || stdout.Trim() != "active true")
            Peers.Missing($"the Docker engine is not a swarm manager (swarm: {stdout.Trim()}); run `docker swarm init --advertise-addr 127.0.0.1` (.ci/run does)");
    }
}
