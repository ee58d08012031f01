using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Swarm;

/// <summary>
/// A Swarm service as the phased rotation's replica set: a rollout is one service update that points the fixed secret
/// targets at the keys' secret objects (Swarm replaces the tasks by the service's update config), then waits until
/// every task runs the new spec. Key objects the rotation made are removed once no service mounts them.
/// </summary>
public sealed class SwarmReplicaSet(SwarmEngine engine, SwarmOptions options, string deploymentRoot) : IReplicaSet
{
    public string Description => $"swarm service {options.Service} on {engine.Address}";

    public async Task<IReadOnlyList<Replica>> ReplicasAsync(CancellationToken cancellationToken)
    {
        var service = await engine.FindServiceAsync(options.Service, cancellationToken);
        var replicas = (long)(service.Spec.Mode?.Replicated?.Replicas
            ?? throw new SwarmServiceNotReplicatedException(options.Service));
        return Enumerable.Range(1, (int)replicas)
            .Select(slot => new Replica($"{options.Service}.{slot}", options.DashboardOf(slot), options.StartupLogOf(deploymentRoot, slot)))
            .ToList();
    }

    public async Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        var primary = slots.Primary ?? throw new ArgumentException("V1 is required", nameof(slots));
        var secondary = slots.Secondary ?? throw new ArgumentException("V2 is required", nameof(slots));
        await engine.RequireManagerAsync(cancellationToken);
        var service = await engine.FindServiceAsync(options.Service, cancellationToken);
        var mounted = SwarmEngine.MountedSecrets(service);
        foreach (var target in new[] { options.PrimaryTarget, options.SecondaryTarget })
            if (!mounted.ContainsKey(target)) throw new SwarmSecretTargetMissingException(options.Service, target);
        var wanted = new Dictionary<string, SwarmSecretMount>
        {
            [options.PrimaryTarget] = (await engine.EnsureSecretAsync(primary, options.Service, options.SecretPrefix, cancellationToken)) with { Target = options.PrimaryTarget },
            [options.SecondaryTarget] = (await engine.EnsureSecretAsync(secondary, options.Service, options.SecretPrefix, cancellationToken)) with { Target = options.SecondaryTarget },
        };
        var already = wanted.All(w => mounted[w.Key].SecretId == w.Value.SecretId);
        progress?.Report(new("rolling out V1 {Primary}, V2 {Secondary} to swarm service {Service}", primary.Fingerprint.ToString(), secondary.Fingerprint.ToString(), options.Service));
        await engine.UpdateSecretsAsync(service, wanted, force: already, cancellationToken);
        await engine.WaitConvergedAsync(options.Service, options.RolloutTimeout, progress, cancellationToken);
    }

    public Task<IReadOnlyList<string>> RetireUnusedKeysAsync(CancellationToken cancellationToken) =>
        engine.RemoveUnusedSecretsAsync(secret =>
            secret.Spec.Labels?.TryGetValue(SwarmSecretName.ServiceLabel, out var service) == true && service == options.Service,
            cancellationToken);
}

public sealed class SwarmServiceNotReplicatedException(string service)
    : Runtimes.RuntimeException($"swarm service '{service}' is not in replicated mode, so its replicas have no fixed slots. Fix: run RoboDJ as `--mode replicated --replicas N`.");
