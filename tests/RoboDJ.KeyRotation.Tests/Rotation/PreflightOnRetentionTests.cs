using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>A negative --keep-snapshots is refused.</summary>
public sealed class PreflightOnRetentionTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<PreflightReport> Run(DeploymentBuilder d, RunOptions? options = null) =>
        new Preflight(d.Settings(), options ?? new RunOptions(), new DotEnvSecretStore(d.Paths.DotEnv), new RecordingRuntime()).RunAsync(Ct);

    [Fact]
    public async Task A_negative_keep_snapshots_is_refused_with_the_fix()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().Build();

        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, new RunOptions { KeepSnapshots = -1 }));

        Assert.Contains("--keep-snapshots -1: give 0 or more", e.Message);
    }
}
