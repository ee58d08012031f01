using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// Puts a key pair in place on one host: one atomic write of the host's .env (every other line kept), a restart of its
/// app by the desktop runtime, then its own startup log's PASS from the process that restart launched, with the V1
/// just written. Used for every host in turn by <see cref="FleetReplicaSet"/>, and alone by a GitHub Actions host job.
/// </summary>
public sealed class FleetHostRuntime(FleetHost host, TimeSpan stopTimeout, TimeSpan startTimeout, TimeSpan verifyTimeout)
{
    readonly DesktopRuntime runtime = new(new DesktopOptions
    {
        DeploymentRoot = host.Root,
        ProcessName = host.ProcessName,
        PidFile = host.PidFile,
        Launcher = host.Launcher,
        LogFile = host.LauncherLog,
        GracePeriod = stopTimeout,
        StartTimeout = startTimeout,
    });

    public FleetHost Host => host;

    public async Task RollOutAsync(KeySlots slots, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        var primary = slots.Primary ?? throw new ArgumentException("V1 is required", nameof(slots));
        progress?.Report(new("host {Host}: V1 {Primary}, V2 {Secondary} to {DotEnv}, then a restart", host.Name, primary.Fingerprint.ToString(), slots.Secondary?.Fingerprint.ToString() ?? "absent", host.DotEnv));
        await new DotEnvSecretStore(host.DotEnv).WriteAsync(slots, cancellationToken);
        var log = new StartupLog(host.StartupLog);
        var offset = log.CurrentOffset();
        var before = runtime.Launched.Select(p => p.Pid).ToHashSet();
        await runtime.StopAsync(cancellationToken);
        await runtime.StartAsync(DateTimeOffset.UtcNow, cancellationToken);
        var pids = runtime.Launched.Select(p => p.Pid).Where(pid => !before.Contains(pid)).ToHashSet();
        await log.WaitForPassAsync(offset, verifyTimeout, progress, cancellationToken, new PassExpectation(pids, primary.Fingerprint.ToString()));
    }
}
