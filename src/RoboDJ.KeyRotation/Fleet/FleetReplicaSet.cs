using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// A fleet of hosts as the phased rotation's replica set, driven from one place that reaches every host: a rollout
/// puts the pair on one host after the other (the others keep serving) and returns when the last one passed; the
/// rotation's barrier then checks every host again. Each host's .env holds only the pair it runs, so no copy of a
/// retired key is left to remove.
/// </summary>
public sealed class FleetReplicaSet : IReplicaSet
{
    readonly FleetFile fleet;
    readonly IReadOnlyList<FleetHostRuntime> hosts;

    /// <param name="shared">The deployment whose config/ every host reads (refused otherwise, naming the host's line).</param>
    public FleetReplicaSet(FleetFile fleet, Rotation.DeploymentPaths shared, TimeSpan stopTimeout, TimeSpan startTimeout, TimeSpan verifyTimeout)
    {
        SharedConfigTree.Require(fleet, shared);
        this.fleet = fleet;
        hosts = fleet.Hosts.Select(h => new FleetHostRuntime(h, stopTimeout, startTimeout, verifyTimeout)).ToList();
    }

    public string Description => $"fleet {Path.GetFileName(fleet.Path)} ({fleet.Hosts.Count} hosts: {string.Join(", ", fleet.Hosts.Select(h => h.Name))})";

    public Task<IReadOnlyList<Replica>> ReplicasAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Replica>>(fleet.Hosts.Select(h => h.AsReplica()).ToList());

    public async Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        foreach (var host in hosts) await host.RollOutAsync(slots, progress, cancellationToken);
    }

    public Task<IReadOnlyList<string>> RetireUnusedKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
}
