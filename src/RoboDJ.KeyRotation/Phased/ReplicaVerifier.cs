using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// The barrier between phases: every replica's own startup log shows "Key presence/integrity check: PASS" after the
/// offset taken before the rollout, with the V1 and V2 fingerprints the phase put in place, and its dashboard accepts a
/// login and the session (when a password is given).
/// </summary>
public sealed class ReplicaVerifier(DashboardCredentials? dashboard, TimeSpan timeout)
{
    /// <summary>Each replica's log length now: a key check after it is one of the coming rollout.</summary>
    public static IReadOnlyDictionary<string, long> Offsets(IReadOnlyList<Replica> replicas) =>
        replicas.ToDictionary(r => r.Name, r => new StartupLog(r.StartupLog).CurrentOffset());

    public async Task VerifyAsync(IReadOnlyList<Replica> replicas, IReadOnlyDictionary<string, long> offsets, KeySlots expected,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var replica in replicas)
        {
            var log = new StartupLog(replica.StartupLog);
            var offset = offsets.TryGetValue(replica.Name, out var o) ? o : 0;
            var check = await log.WaitForPassAsync(offset, timeout, progress, cancellationToken,
                new PassExpectation(new HashSet<int>(), expected.Primary!.Fingerprint.Hex));
            RequireFingerprints(replica, check.Line, [expected]);
            await CheckDashboardAsync(replica, cancellationToken);
            Log.Information("Replica {Replica}: PASS with V1 {Primary}, V2 {Secondary}", replica.Name,
                expected.Primary.Fingerprint.ToString(), expected.Secondary?.Fingerprint.ToString() ?? "absent");
        }
    }

    /// <summary>Before anything changes: each replica's latest key check reports the keys the store holds.</summary>
    public Task RequireRunningWithAsync(IReadOnlyList<Replica> replicas, KeySlots expected, CancellationToken cancellationToken) =>
        RequireRunningWithAnyAsync(replicas, [expected], cancellationToken);

    /// <summary>Each replica's latest key check is a PASS with one of <paramref name="acceptable"/> (a phase that began may have reached only some).</summary>
    public async Task RequireRunningWithAnyAsync(IReadOnlyList<Replica> replicas, IReadOnlyList<KeySlots> acceptable, CancellationToken cancellationToken)
    {
        foreach (var replica in replicas)
        {
            var check = await new StartupLog(replica.StartupLog).LastCheckAsync(1 << 20, cancellationToken);
            if (check is not { Passed: true })
                throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog,
                    check is null ? "it has no key check in its startup log" : "its latest key check is a FAIL");
            RequireFingerprints(replica, check.Line, acceptable);
            await CheckDashboardAsync(replica, cancellationToken);
        }
    }

    static void RequireFingerprints(Replica replica, string line, IReadOnlyList<KeySlots> acceptable)
    {
        using var doc = JsonDocument.Parse(line);
        var (v1, v2) = (Field(doc.RootElement, "v1"), Field(doc.RootElement, "v2"));
        if (acceptable.Any(pair => Same(v1, pair.Primary?.Fingerprint.Hex) && Same(v2, pair.Secondary?.Fingerprint.Hex))) return;
        var expected = acceptable.Select(pair => $"V1 {pair.Primary?.Fingerprint.Hex ?? "none"}, V2 {pair.Secondary?.Fingerprint.Hex ?? "none"}");
        throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog,
            $"its key check reports V1 {v1 ?? "none"}, V2 {v2 ?? "none"}, not the expected {string.Join(" or ", expected)}");
    }

    async Task CheckDashboardAsync(Replica replica, CancellationToken cancellationToken)
    {
        if (dashboard is null) return;
        using var client = new DashboardClient(replica.Dashboard, TimeSpan.FromSeconds(10));
        var session = await client.LoginAsync(dashboard.User, dashboard.Password, cancellationToken);
        if (!await client.IsSessionValidAsync(session, cancellationToken))
            throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog, $"its dashboard {replica.Dashboard} refused the session it just issued");
    }

    static string? Field(JsonElement line, string name) =>
        line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static bool Same(string? logged, string? expected) =>
        string.Equals(logged is not null && logged.StartsWith("sha256:", StringComparison.Ordinal) ? logged[7..] : logged, expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The dashboard login the verifier and the single writer use; the password never reaches output.</summary>
public sealed record DashboardCredentials(string User, string Password)
{
    public override string ToString() => $"DashboardCredentials({User}, ***)";
}

public sealed class ReplicaNotVerifiedException(string replica, string log, string why)
    : Exception($"replica {replica}: {why} ({log}). The phase does not advance; fix the replica, then run ResumePhased, or RollbackPhased.");
