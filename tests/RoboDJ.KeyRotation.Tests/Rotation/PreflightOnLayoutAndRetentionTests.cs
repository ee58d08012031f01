using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>Preflight moves nothing, so it counts the old layout's unfinished rotation too; a negative --keep-snapshots is refused.</summary>
public sealed class PreflightOnLayoutAndRetentionTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<PreflightReport> Run(DeploymentBuilder d, RunOptions? options = null) =>
        new Preflight(d.Settings(), options ?? new RunOptions(), new DotEnvSecretStore(d.Paths.DotEnv), new RecordingRuntime()).RunAsync(Ct);

    [Fact]
    public async Task An_unfinished_rotation_still_in_the_old_layout_refuses_and_is_not_moved()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().Build();
        var old = RotationJournal.Create(d.Paths.LegacyKeyRotation, RotationId.New(DateTimeOffset.UtcNow), "staging", "alice");
        old.Started(RotationStep.Shift);

        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d));

        Assert.Contains($"rotation {old.Id}", e.Message);
        Assert.Contains("Resume", e.Message);
        Assert.True(File.Exists(old.FilePath));
        Assert.False(Directory.Exists(d.Paths.KeyRotation));
    }

    [Fact]
    public async Task A_negative_keep_snapshots_is_refused_with_the_fix()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().Build();

        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, new RunOptions { KeepSnapshots = -1 }));

        Assert.Contains("--keep-snapshots -1: give 0 or more", e.Message);
    }
}
