using Serilog;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// A GitHub store as a deployment uses it: the GitHub secrets are the source of truth (each job gets them through its
/// secret mapping), and the deployment's .env, which the app reads at start, is written from them in the same step.
/// Every write goes to GitHub first (V2, then V1), then to .env (one atomic write). Reads return .env's keys, the ones
/// the app runs on and the snapshot holds, after checking them against what GitHub holds as far as this run knows:
/// what this store last wrote, else the job's mapping. GitHub cannot give a secret back, so without a mapping (a run
/// outside Actions) .env alone is read.
/// </summary>
public sealed class DeliveredGitHubSecretStore(ISecretStore gitHub, DotEnvSecretStore dotEnv, Func<bool> rotationUnfinished) : ISecretStore
{
    KeySlots? written;

    public string Description => $"{gitHub.Description} delivered to {dotEnv.Path}";

    /// <summary>
    /// A difference is explained only by an unfinished rotation (a crash between the GitHub and the .env write, or a
    /// write that failed half-way): then Resume or Rollback writes both sides again, and .env's keys are the truth.
    /// </summary>
    public async Task<KeySlots> ReadAsync(CancellationToken cancellationToken)
    {
        var local = await dotEnv.ReadAsync(cancellationToken);
        var known = written ?? await gitHub.ReadAsync(cancellationToken);
        if (known.Primary is null || Same(known, local)) return local;
        if (!rotationUnfinished()) throw new SecretStoresDisagreeException(gitHub.Description, dotEnv.Path, known, local);
        Log.Warning("{GitHub} and {DotEnv} differ (V1 {GitHubPrimary} against {DotEnvPrimary}) while a rotation is unfinished: .env is what the app reads, and the next write sets both",
            gitHub.Description, dotEnv.Path, known.Primary.Fingerprint.ToString(), local.Primary?.Fingerprint.ToString() ?? "absent");
        return local;
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await gitHub.CheckWritableAsync(cancellationToken);
        await dotEnv.CheckWritableAsync(cancellationToken);
    }

    /// <summary>.env is left byte for byte as it is when it already holds the slots (a rollback restored it from the snapshot).</summary>
    public async Task WriteAsync(KeySlots slots, CancellationToken cancellationToken)
    {
        // .env needs both slots: refused here, before GitHub changes, the two sides stay as they were.
        _ = dotEnv.DescribeWrite(slots);
        await gitHub.WriteAsync(slots, cancellationToken);
        written = slots;
        if (Same(await dotEnv.ReadAsync(cancellationToken), slots)) return;
        await dotEnv.WriteAsync(slots, cancellationToken);
    }

    public string DescribeWrite(KeySlots slots) => $"{gitHub.DescribeWrite(slots)}; then {dotEnv.DescribeWrite(slots)}, which the app reads at start";

    static bool Same(KeySlots a, KeySlots b) => Equals(a.Primary, b.Primary) && Equals(a.Secondary, b.Secondary);
}
