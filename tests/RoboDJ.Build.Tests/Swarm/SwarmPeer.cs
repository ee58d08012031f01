using RoboDJ.Build.Tests.PythonReference;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>A single-node swarm on the test engine: .ci/run initialises it (`docker swarm init --advertise-addr 127.0.0.1`).</summary>
static class SwarmPeer
{
    public static void Require()
    {
        DockerPeer.RequireImage();
        var (code, stdout, _) = DockerCli.TryRun(null, "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}");
        if (code != 0 || stdout.Trim() != "active true")
            Peers.Missing($"the Docker engine is not a swarm manager (swarm: {stdout.Trim()}); run `docker swarm init --advertise-addr 127.0.0.1` (.ci/run does)");
    }
}
