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
        IProgress<LogMessage>? progress, CancellationToken cancellationToken)
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
    /// <param name="noRotationOpen">
    /// Where <paramref name="acceptable"/> came from when no phased rotation is open (the deployment's .env): a refusal
    /// then says the replicas run keys it does not name, and that there is nothing to resume or roll back.
    /// </param>
    public async Task RequireRunningWithAnyAsync(IReadOnlyList<Replica> replicas, IReadOnlyList<KeySlots> acceptable, CancellationToken cancellationToken,
        string? noRotationOpen = null)
    {
        foreach (var replica in replicas)
        {
            var check = await new StartupLog(replica.StartupLog).LastCheckAsync(1 << 20, cancellationToken);
            if (check is not { Passed: true })
                throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog,
                    check is null ? "it has no key check in its startup log" : "its latest key check is a FAIL",
                    noRotationOpen is null ? null : NothingOpen("make the replica pass its key check (its startup log says why)"));
            RequireFingerprints(replica, check.Line, acceptable, noRotationOpen);
            await CheckDashboardAsync(replica, cancellationToken, noRotationOpen);
        }
    }

    static string NothingOpen(string fix) =>
        $"No phased rotation is open, so there is nothing to resume or roll back, and nothing was changed. Fix: {fix}, then run RotatePhased again.";

    static void RequireFingerprints(Replica replica, string line, IReadOnlyList<KeySlots> acceptable, string? noRotationOpen = null)
    {
        using var doc = JsonDocument.Parse(line);
        var (v1, v2) = (Field(doc.RootElement, "v1"), Field(doc.RootElement, "v2"));
        if (acceptable.Any(pair => Same(v1, pair.Primary?.Fingerprint.Hex) && Same(v2, pair.Secondary?.Fingerprint.Hex))) return;
        var expected = string.Join(" or ", acceptable.Select(pair => $"V1 {pair.Primary?.Fingerprint.Hex ?? "none"}, V2 {pair.Secondary?.Fingerprint.Hex ?? "none"}"));
        if (noRotationOpen is not null)
            throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog,
                $"it runs V1 {v1 ?? "none"}, V2 {v2 ?? "none"}, keys that {noRotationOpen} does not name (it holds {expected})",
                NothingOpen($"point the service at the keys in {noRotationOpen}, or put the keys the service runs back into it"));
        throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog,
            $"its key check reports V1 {v1 ?? "none"}, V2 {v2 ?? "none"}, not the expected {expected}");
    }

    async Task CheckDashboardAsync(Replica replica, CancellationToken cancellationToken, string? noRotationOpen = null)
    {
        if (dashboard is null) return;
        using var client = new DashboardClient(replica.Dashboard, TimeSpan.FromSeconds(10));
        var session = await client.LoginAsync(dashboard.User, dashboard.Password, cancellationToken);
        if (!await client.IsSessionValidAsync(session, cancellationToken))
            throw new ReplicaNotVerifiedException(replica.Name, replica.StartupLog, $"its dashboard {replica.Dashboard} refused the session it just issued",
                noRotationOpen is null ? null : NothingOpen("make the replica's dashboard keep the sessions it issues"));
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

/// <param name="fix">What to do; by default, as between phases: fix the replica, then ResumePhased or RollbackPhased.</param>
public sealed class ReplicaNotVerifiedException(string replica, string log, string why, string? fix = null)
    : Exception($"replica {replica}: {why} ({log}). {fix ?? "The phase does not advance; fix the replica, then run ResumePhased, or RollbackPhased."}");
