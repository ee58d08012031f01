using System.Text.Json;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Phased;

/// <summary>
/// Replicas without processes: a rollout records the pair and writes each replica's PASS line (pid, V1, V2 fingerprints)
/// to its own log, as the reference app does at start. <see cref="Misreporting"/> makes one replica report another V2.
/// </summary>
sealed class FakeReplicaSet : IReplicaSet
{
    readonly List<Replica> replicas;

    public FakeReplicaSet(string root, KeySlots running, int count = 3)
    {
        replicas = Enumerable.Range(1, count)
            .Select(slot => new Replica($"fake.{slot}", new Uri($"http://127.0.0.1:{18000 + slot}/"), Path.Combine(root, "config", "logs", $"replica-{slot}", "startup_safety_events.jsonl")))
            .ToList();
        WritePass(running);
    }

    public List<(string V1, string V2)> RollOuts { get; } = [];
    public string? Misreporting { get; set; }
    public string Description => $"fake replica set ({replicas.Count} replicas)";

    public Task<IReadOnlyList<Replica>> ReplicasAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Replica>>(replicas);

    public Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        RollOuts.Add((slots.Primary!.Fingerprint.Hex, slots.Secondary!.Fingerprint.Hex));
        WritePass(slots);
        return Task.CompletedTask;
    }

    /// <summary>The key copies RetireUnusedKeysAsync says it removed.</summary>
    public IReadOnlyList<string> Retires { get; set; } = [];
    public Exception? RetireFailure { get; set; }

    public Task<IReadOnlyList<string>> RetireUnusedKeysAsync(CancellationToken cancellationToken) =>
        RetireFailure is { } failure ? Task.FromException<IReadOnlyList<string>>(failure) : Task.FromResult(Retires);

    void WritePass(KeySlots slots)
    {
        foreach (var replica in replicas)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(replica.StartupLog)!);
            var v2 = replica.Name == Misreporting ? "000000000000" : slots.Secondary?.Fingerprint.Hex;
            File.AppendAllText(replica.StartupLog, JsonSerializer.Serialize(new
            {
                @event = "key_check", message = "Key presence/integrity check: PASS", pid = 7, v1 = slots.Primary!.Fingerprint.Hex, v2,
            }) + "\n");
        }
    }
}
