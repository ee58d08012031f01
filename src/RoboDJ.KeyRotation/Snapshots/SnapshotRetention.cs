using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>What retention removed and kept, by rotation id and key fingerprint only.</summary>
public sealed record RetentionReport(
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> KeysGoneFromDisk,
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> KeptForFields)
{
    public string Summary =>
        $"snapshots: {Removed.Count} removed" + (Removed.Count > 0 ? $" ({string.Join(", ", Removed)})" : "") +
        $", {Kept.Count} kept" + (Kept.Count > 0 ? $" ({string.Join(", ", Kept)})" : "") +
        (KeptForFields.Count > 0 ? $"; kept for fields still under their key: {string.Join(", ", KeptForFields)}" : "") +
        (KeysGoneFromDisk.Count > 0 ? $"; retired keys no longer on disk: {string.Join(", ", KeysGoneFromDisk)}" : "");

    public IReadOnlyDictionary<string, string> Facts => new Dictionary<string, string>
    {
        ["removed_snapshots"] = string.Join(",", Removed),
        ["kept_snapshots"] = string.Join(",", Kept),
        ["kept_for_fields"] = string.Join(",", KeptForFields),
        ["keys_gone_from_disk"] = string.Join(",", KeysGoneFromDisk),
    };
}

/// <summary>
/// Retired keys do not linger (issue 13): after a verified rotation, the snapshots of rotations older than the newest
/// <c>keep</c> verified ones are shredded (<see cref="Shredder"/>), except a snapshot whose .env holds a key that a
/// field of the scope still needs (census over the scope with the current keys and the snapshots' keys). An
/// unfinished rotation's snapshot is never a candidate.
/// </summary>
public sealed class SnapshotRetention(DeploymentScope scope, int keep)
{
    DeploymentPaths Paths => scope.Paths;

    /// <summary>Every plan's Preflight refuses a count no retention can follow; null when <paramref name="keep"/> is one.</summary>
    public static string? ProblemWith(int keep) => keep < 0
        ? $"--keep-snapshots {keep}: give 0 or more (the snapshots of the newest N verified rotations stay; default 1, the one Rollback may need)."
        : null;

    public string Describe() =>
        $"keep the snapshots of the newest {keep} verified rotation(s) and any snapshot holding a key a field still needs; shred the rest";

    /// <summary>
    /// The one retention after a rotation, whatever its plan (issues 13 and 20), still under the lock and after the
    /// journal's Completed or RolledBack line: the snapshots go as <see cref="Apply"/> says, and the plan's own key
    /// copies (<paramref name="retireKeyCopies"/>: a replica set's Swarm secrets) with them, in one Retention line. A
    /// rolled-back rotation was never verified, so no snapshot goes because of it: it retires key copies only. The keys
    /// are in place by now, so a retention that fails is journaled and warned about, never the rotation's failure.
    /// </summary>
    public async Task<string> AfterRotationAsync(RotationJournal journal, ISecretStore store,
        Func<CancellationToken, Task<IReadOnlyDictionary<string, string>>>? retireKeyCopies, CancellationToken cancellationToken)
    {
        try
        {
            var report = journal.HasEnded(RotationStep.Completed) ? Apply(await store.ReadAsync(cancellationToken)) : null;
            var keyCopies = retireKeyCopies is null ? null : await retireKeyCopies(cancellationToken);
            journal.Ended(RotationStep.Retention, new[] { report?.Facts, keyCopies }.OfType<IReadOnlyDictionary<string, string>>().SelectMany(f => f).ToDictionary());
            return report?.Summary ?? "snapshots: none removed after a rollback";
        }
        // Whatever goes wrong here (a config file the running app is rewriting, a snapshot it cannot read), the rotation
        // held; a lock taken over is not retention's to swallow: the run stops as fenced.
        catch (Exception e) when (e is not (Effects.DryRunBreachException or OperationCanceledException or RotationLockLostException))
        {
            var error = SecretRedactor.Redact(e.Message);
            Log.Warning("Retention: old snapshots or key copies were not removed: {Error}. The next verified rotation tries again.", error);
            try { journal.Failed(RotationStep.Retention, error); }
            catch (IOException io) { Log.Error("Could not write to the journal: {Error}", io.Message); }
            return $"old snapshots not removed ({error})";
        }
    }

    public RetentionReport Apply(KeySlots current)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"shred the snapshots in {Paths.KeyRotation} older than the newest {keep} verified rotation(s)");
        if (keep < 0) throw new ArgumentOutOfRangeException(nameof(keep), $"--keep-snapshots {keep}: the count of snapshots to keep must be 0 or more.");
        var withSnapshot = RotationJournal.All(Paths.KeyRotation).Where(j => Directory.Exists(Paths.SnapshotDirectory(j.Id))).ToList();
        var verified = withSnapshot.Where(j => j.HasEnded(RotationStep.Completed)).Select(j => j.Id.Value).Reverse().Take(keep).ToHashSet();
        if (verified.Count < keep) return new RetentionReport([], [], withSnapshot.Select(j => j.Id.Value).ToList(), []);
        var oldestKept = verified.Count == 0 ? null : verified.Min(StringComparer.Ordinal);
        var candidates = withSnapshot
            .Where(j => j.IsFinished && !verified.Contains(j.Id.Value) && (oldestKept is null || string.CompareOrdinal(j.Id.Value, oldestKept) < 0))
            .ToList();

        var keysOf = new Dictionary<string, IReadOnlyList<FernetKey>>();
        foreach (var journal in candidates.ToList())
        {
            // A snapshot we cannot read might hold a key still needed: it stays, and a person looks at it.
            try { keysOf[journal.Id.Value] = KeysIn(Paths.SnapshotDirectory(journal.Id)); }
            catch (Exception e) when (e is SnapshotCorruptException or IOException or UnauthorizedAccessException or DotEnvSyntaxException)
            {
                Log.Warning("Retention: kept the snapshot of rotation {Id}, which could not be read: {Error}", journal.Id, e.Message);
                candidates.Remove(journal);
            }
        }
        var currentKeys = new[] { current.Primary, current.Secondary }.OfType<FernetKey>().ToList();
        var needed = KeysStillNeeded(currentKeys, keysOf.Values.SelectMany(k => k).ToList());

        var removed = new List<string>();
        var keptForFields = new List<string>();
        foreach (var journal in candidates)
        {
            var id = journal.Id.Value;
            if (keysOf[id].FirstOrDefault(k => needed.ContainsKey(k.Fingerprint)) is { } key)
            {
                keptForFields.Add($"{id} ({key.Fingerprint}: {needed[key.Fingerprint]} field(s))");
                continue;
            }
            Shredder.Remove(Paths.SnapshotDirectory(journal.Id));
            removed.Add(id);
            Log.Information("Retention: shredded the snapshot of rotation {Id}", id);
        }

        var kept = withSnapshot.Select(j => j.Id.Value).Except(removed).ToList();
        var stillOnDisk = currentKeys.Select(k => k.Fingerprint)
            .Concat(kept.SelectMany(id => keysOf.TryGetValue(id, out var k) ? k : TryKeysIn(Paths.SnapshotDirectory(RotationId.Parse(id)))).Select(k => k.Fingerprint))
            .ToHashSet();
        var gone = removed.SelectMany(id => keysOf[id]).Select(k => k.Fingerprint).Where(f => !stillOnDisk.Contains(f)).Distinct().Select(f => f.ToString()).ToList();
        return new RetentionReport(removed, gone, kept, keptForFields);
    }

    /// <summary>The snapshot keys (not current ones) that open at least one field of the scope, with the count.</summary>
    Dictionary<Fingerprint, int> KeysStillNeeded(IReadOnlyList<FernetKey> currentKeys, IReadOnlyList<FernetKey> snapshotKeys)
    {
        var retired = snapshotKeys.Where(k => !currentKeys.Contains(k)).DistinctBy(k => k.Fingerprint).ToList();
        if (retired.Count == 0) return [];
        var census = Census.Take(scope, new KeyRing([.. currentKeys, .. retired]));
        var retiredPrints = retired.Select(k => k.Fingerprint).ToHashSet();
        return census.CountsByKey.Where(kv => retiredPrints.Contains(kv.Key) && kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    static IReadOnlyList<FernetKey> TryKeysIn(string snapshotDir)
    {
        try { return KeysIn(snapshotDir); }
        catch (Exception e) when (e is SnapshotCorruptException or IOException or UnauthorizedAccessException or DotEnvSyntaxException) { return []; }
    }

    /// <summary>The keys a snapshot's .env holds; none when it has no .env (a GitHub store's snapshot).</summary>
    static IReadOnlyList<FernetKey> KeysIn(string snapshotDir)
    {
        var manifest = SnapshotStore.ReadManifest(snapshotDir);
        if (manifest.Files.All(f => f.Path != ".env")) return [];
        var dotenv = DotEnvFile.FromBytes(SnapshotStore.ReadVerified(snapshotDir, ".env"), Path.Combine(snapshotDir, "files", ".env"));
        return new[] { KeySlots.PrimaryName, KeySlots.SecondaryName }
            .Select(name => FernetKey.TryParse(dotenv[name], out var key, out _) ? key : null)
            .OfType<FernetKey>().ToList();
    }
}
