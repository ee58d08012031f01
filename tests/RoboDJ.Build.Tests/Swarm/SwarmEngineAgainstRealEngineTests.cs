using System.Security.Cryptography;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Swarm;
using Xunit;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>The Swarm primitives' refusals and clean-up against the real engine's swarm (no app needed).</summary>
public sealed class SwarmEngineAgainstRealEngineTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;
    static SwarmEngine Engine() => SwarmPeer.Engine();
    static string Unique(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    [Fact]
    public async Task An_unknown_service_is_refused_naming_it_and_where_to_look()
    {
        SwarmPeer.Require();
        using var engine = Engine();
        var name = Unique("robodj-missing-");

        var error = await Assert.ThrowsAsync<SwarmServiceNotFoundException>(() => engine.FindServiceAsync(name, Token));

        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("docker service ls", error.Message);
    }

    [Fact]
    public async Task A_service_that_mounts_no_key_secrets_is_refused_before_any_secret_or_update_is_made()
    {
        SwarmPeer.Require();
        using var engine = Engine();
        var service = Unique("robodj-nokeys-");
        DockerCli.Run("service", "create", "--detach=true", "--name", service, "--replicas", "1", "--network", "host", "--init", DockerPeer.Image, "sleep", "600");
        try
        {
            var replicas = new SwarmReplicaSet(engine, new SwarmOptions(service), Path.GetTempPath());

            var error = await Assert.ThrowsAsync<SwarmSecretTargetMissingException>(() =>
                replicas.RollOutAsync(new KeySlots(FernetKey.Generate(), FernetKey.Generate()), null, Token));

            Assert.Contains($"'{service}'", error.Message);
            Assert.Contains("--secret-add source=<secret>,target=robodj_v1", error.Message);
            // Never updated: an update would have left the spec before it as PreviousSpec.
            Assert.Null((await engine.FindServiceAsync(service, Token)).PreviousSpec);
            Assert.DoesNotContain(await engine.ListSecretsAsync(Token), s => s.Spec.Labels is { } labels && labels.TryGetValue(SwarmSecretName.ServiceLabel, out var owner) && owner == service);
        }
        finally { DockerCli.TryRun(null, "service", "rm", service); }
    }

    [Fact]
    public async Task A_rollout_whose_new_tasks_fail_stops_with_the_paused_update_named()
    {
        SwarmPeer.Require();
        using var engine = Engine();
        var service = Unique("robodj-failing-");
        // The task runs only while its V1 file holds the marker, so the rollout's new tasks exit at once.
        DockerCli.RunWithInput("marker", "secret", "create", service + "_v1", "-");
        DockerCli.RunWithInput("marker", "secret", "create", service + "_v2", "-");
        DockerCli.Run("service", "create", "--detach=false", "--quiet", "--name", service, "--replicas", "1", "--network", "host", "--init",
            "--update-failure-action", "pause", "--update-monitor", "2s", "--restart-condition", "none",
            "--secret", $"source={service}_v1,target=robodj_v1", "--secret", $"source={service}_v2,target=robodj_v2",
            DockerPeer.Image, "sh", "-c", "grep -q marker /run/secrets/robodj_v1 || exit 1; exec sleep 600");
        try
        {
            var replicas = new SwarmReplicaSet(engine, new SwarmOptions(service) { RolloutTimeout = TimeSpan.FromSeconds(60) }, Path.GetTempPath());

            var error = await Assert.ThrowsAsync<SwarmRolloutFailedException>(() =>
                replicas.RollOutAsync(new KeySlots(FernetKey.Generate(), FernetKey.Generate()), null, Token));

            Assert.Equal("paused", error.State);
            Assert.Contains($"docker service ps --no-trunc {service}", error.Message);
            Assert.Contains("ResumePhased or RollbackPhased", error.Message);
        }
        finally
        {
            DockerCli.TryRun(null, "service", "rm", service);
            for (var i = 0; i < 50 && DockerCli.TryRun(null, "ps", "-aq", "--filter", $"label=com.docker.swarm.service.name={service}").Stdout.Trim().Length > 0; i++)
                await Task.Delay(300, Token);
            foreach (var name in (await engine.ListSecretsAsync(Token)).Where(s => s.Spec.Name.StartsWith(service, StringComparison.Ordinal)
                         || s.Spec.Labels is { } l && l.TryGetValue(SwarmSecretName.ServiceLabel, out var owner) && owner == service).Select(s => s.Spec.Name))
                DockerCli.TryRun(null, "secret", "rm", name);
        }
    }

    [Fact]
    public async Task Retiring_removes_only_the_unused_secret_objects_the_rotation_made_for_the_service()
    {
        SwarmPeer.Require();
        using var engine = Engine();
        var service = Unique("robodj-retire-");
        var key = FernetKey.Generate();
        var ours = await engine.EnsureSecretAsync(key, service, "robodj_key", Token);
        var again = await engine.EnsureSecretAsync(key, service, "robodj_key", Token);
        var operators = Unique("robodj_operator_");
        DockerCli.RunWithInput(FernetKey.Generate().Text, "secret", "create", operators, "-");
        try
        {
            var replicas = new SwarmReplicaSet(engine, new SwarmOptions(service), Path.GetTempPath());

            var removed = await replicas.RetireUnusedKeysAsync(Token);

            Assert.Equal(ours.SecretId, again.SecretId);
            Assert.Equal([SwarmSecretName.For(key)], removed);
            var left = (await engine.ListSecretsAsync(Token)).Select(s => s.Spec.Name).ToList();
            Assert.DoesNotContain(SwarmSecretName.For(key), left);
            Assert.Contains(operators, left);
        }
        finally
        {
            DockerCli.TryRun(null, "secret", "rm", operators);
            DockerCli.TryRun(null, "secret", "rm", SwarmSecretName.For(key));
        }
    }
}
