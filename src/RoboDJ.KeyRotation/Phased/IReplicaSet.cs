using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// The replicas of one RoboDJ deployment that share one config tree, as the phased rotation sees them: a Swarm service
/// today (<see cref="Swarm.SwarmReplicaSet"/>), a fleet of hosts later. All the protocol needs is to put a key pair in
/// place everywhere and to reach each replica.
/// </summary>
public interface IReplicaSet
{
    /// <summary>e.g. "swarm service robodj (3 replicas)".</summary>
    string Description { get; }

    /// <summary>Every replica that should be running, with its dashboard and its own startup log.</summary>
    Task<IReadOnlyList<Replica>> ReplicasAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Puts V1 and V2 in place on every replica, one replica at a time so the others keep serving, and returns once every
    /// replica runs with them. Replicas restart even when they already have these keys, so each writes a fresh key check.
    /// </summary>
    Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken);

    /// <summary>Removes copies of keys that no replica uses any more (e.g. secret objects); returns what was removed.</summary>
    Task<IReadOnlyList<string>> RetireUnusedKeysAsync(CancellationToken cancellationToken);
}

/// <summary>One replica: its name (e.g. robodj.2), its dashboard (127.0.0.1 only) and the startup log only it writes.</summary>
public sealed record Replica(string Name, Uri Dashboard, string StartupLog);
