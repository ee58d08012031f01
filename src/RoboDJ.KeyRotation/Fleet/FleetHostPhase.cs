using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// One phase of the protocol on one host, for a GitHub Actions matrix job on that host's runner (the jobs' `needs:`
/// is the barrier between phases). Phases 0 and 3 are the single writer's (one config save through this host);
/// phases 1 and 2 put the phase's pair on this host and wait for its PASS with both fingerprints. Each first checks
/// that the host runs the pair the previous phase left (or, on a rerun, this phase's), so a job run out of order changes nothing.
/// </summary>
public sealed class FleetHostPhase(FleetHost host, string env, DeploymentScope scope, DashboardCredentials? dashboard, FleetHostRuntime runtime, TimeSpan verifyTimeout)
{
    readonly ReplicaVerifier verifier = new(dashboard, verifyTimeout);
    readonly SingleWriter writer = new(scope, dashboard);

    public async Task<string> RunAsync(int phase, FleetKeys keys, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        RequireEnvironment();
        var before = new KeySlots(keys.Primary, keys.Secondary);
        var readable = new KeySlots(keys.Primary, keys.Next);
        var promoted = new KeySlots(keys.Next, keys.Primary);
        switch (phase)
        {
            case 0:
                await RequireRunningWithOneOfAsync([before], cancellationToken);
                var ring = new KeyRing(keys.Primary, keys.Secondary ?? keys.Primary);
                var census = Census.Take(scope, ring);
                census.ThrowIfUndecryptable();
                if (census.UnderSecondary > 0) await writer.RewrapAsync(ring, host.AsReplica(), cancellationToken);
                RequireNone(Census.Take(scope, ring).UnderSecondary, "phase 0", "still open only with V2");
                return $"phase 0 on {host.Name}: {census.UnderSecondary} field(s) moved from V2 under V1";
            case 1:
                await RequireRunningWithOneOfAsync([before, readable], cancellationToken);
                await RollOutAsync(readable, progress, cancellationToken);
                return $"phase 1 on {host.Name}: V1 {keys.Primary.Fingerprint}, V2 {keys.Next.Fingerprint} (new, read-only)";
            case 2:
                await RequireRunningWithOneOfAsync([readable, promoted], cancellationToken);
                await RollOutAsync(promoted, progress, cancellationToken);
                return $"phase 2 on {host.Name}: V1 {keys.Next.Fingerprint} (new), V2 {keys.Primary.Fingerprint}";
            case 3:
                await RequireRunningWithOneOfAsync([promoted], cancellationToken);
                await writer.RewrapAsync(new KeyRing(keys.Next, keys.Primary), host.AsReplica(), cancellationToken);
                var after = Census.Take(scope, new KeyRing(keys.Next));
                RequireNone(after.Total - after.UnderPrimary, "phase 3", "do not open with the new V1 alone");
                return $"phase 3 on {host.Name}: every field ({after.Total}) under the new V1 {keys.Next.Fingerprint}";
            default:
                throw new ArgumentOutOfRangeException(nameof(phase), phase, "the phases are 0, 1, 2 and 3");
        }
    }

    async Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        var replica = host.AsReplica();
        var offsets = ReplicaVerifier.Offsets([replica]);
        await runtime.RollOutAsync(slots, progress, cancellationToken);
        await verifier.VerifyAsync([replica], offsets, slots, progress, cancellationToken);
    }

    async Task RequireRunningWithOneOfAsync(IReadOnlyList<KeySlots> expected, CancellationToken cancellationToken)
    {
        ReplicaNotVerifiedException? last = null;
        foreach (var slots in expected)
        {
            try { await verifier.RequireRunningWithAsync([host.AsReplica()], slots, cancellationToken); return; }
            catch (ReplicaNotVerifiedException e) { last = e; }
        }
        throw last!;
    }

    /// <summary>The host is one of --env's deployments (its .env's ROBODJ_ENV), so a job never rotates another environment's host.</summary>
    void RequireEnvironment()
    {
        var declared = File.Exists(host.DotEnv) ? DotEnvFile.Load(host.DotEnv)[Rotation.Preflight.EnvVariable] : null;
        if (declared != env)
            throw new PhasedRotationRefusedException($"host {host.Name}: {host.DotEnv} has {Rotation.Preflight.EnvVariable} '{declared ?? "not set"}' but --env is '{env}'",
                $"run the {declared ?? "host's"} fleet with its own --env, or fix the host's root in the fleet file (line {host.Line})");
    }

    void RequireNone(int count, string phase, string what)
    {
        if (count > 0)
            throw new PhaseCensusException($"{phase} on {host.Name}", $"{count} field(s) {what}", "Run this job again; fields no key opens need a person's decision.");
    }
}
