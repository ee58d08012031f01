using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>The workflow facade, target by target, against the real stand-in app started through its launcher.</summary>
public sealed class KeyRotationWorkflowAgainstSandboxAppTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static KeyRotationWorkflow Workflow(SandboxSite site, RunOptions? options = null) =>
        new(site.Settings(), options ?? new RunOptions(), new DotEnvSecretStore(site.Paths.DotEnv), site.Runtime());

    static async Task RunChainAsync(KeyRotationWorkflow w)
    {
        var preflighted = (await w.PreflightAsync(Ct)).Value;
        var announced = (await w.AnnounceAsync(preflighted, Ct)).Value;
        var opened = (await w.SnapshotAsync(announced, Ct)).Value;
        var stopped = (await w.StopAsync(opened, Ct)).Value;
        var rotated = (await w.RotateAsync(stopped, Ct)).Value;
        var started = (await w.StartAsync(rotated, Ct)).Value;
        await w.VerifyAsync(started, Ct);
    }

    [Fact]
    public async Task A_rotation_shifts_V1_into_V2_and_every_field_ends_under_the_new_V1()
    {
        await using var site = await SandboxSite.CreateAsync();
        var before = await site.KeysAsync();
        var censusBefore = await site.CensusAsync();
        Assert.True(censusBefore.UnderSecondary > 0, "the sandbox starts with fields under V2");

        using (var w = Workflow(site)) await RunChainAsync(w);

        var after = await site.KeysAsync();
        Assert.Equal(before.Primary, after.Secondary);
        Assert.NotEqual(before.Primary, after.Primary);
        Assert.NotEqual(before.Secondary, after.Primary);
        var census = await site.CensusAsync();
        Assert.Equal(censusBefore.Total, census.UnderPrimary);
        Assert.True(await site.IsRunningAsync());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.IsFinished);
        Assert.False(File.Exists(site.Paths.RotationLock));
        site.Canaries.Add(after.Primary!.Text);
        Canary.AssertAbsentFromTree(Path.Combine(site.Paths.KeyRotation), site.Canaries.Where(c => c != before.Primary!.Text && c != before.Secondary!.Text && c != site.Deployment.DashboardPassword),
            Directory.EnumerateFiles(site.Paths.KeyRotation, "*", SearchOption.AllDirectories).Where(f => f.Contains("snapshot")).Select(f => Path.GetRelativePath(site.Paths.KeyRotation, f)).ToArray());
        Canary.AssertAbsent(File.ReadAllText(journal.FilePath), site.Canaries, "the journal");
    }

    [Theory]
    [InlineData("Stop")]
    [InlineData("Rotate")]
    [InlineData("Start")]
    [InlineData("Verify")]
    public async Task A_failure_rolls_back_to_the_original_keys_and_config_bytes_and_writes_a_postmortem(string failing)
    {
        await using var site = await SandboxSite.CreateAsync();
        var original = site.KeyAndConfigHashes();
        using var w = Workflow(site, new RunOptions { FaultInjector = t => t == failing ? new InvalidOperationException($"injected failure in {t}") : null });

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunChainAsync(w));
        Assert.Equal(failing, w.FailedTarget);
        Assert.True(w.NeedsRollback);
        await w.RollbackAsync(Ct);

        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        Assert.True(File.Exists(w.PostmortemPath));
        Assert.Contains($"**Failed target:** {failing}", File.ReadAllText(w.PostmortemPath!));
        Assert.True(RotationJournal.FindLatest(site.Paths.KeyRotation)!.IsFinished);
        using var verify = Workflow(site);
        await verify.VerifyAsync(started: null, Ct);
    }

    [Fact]
    public async Task Resume_finishes_a_rotation_that_died_after_the_shift_without_shifting_twice()
    {
        await using var site = await SandboxSite.CreateAsync();
        var before = await site.KeysAsync();
        using (var w = Workflow(site, new RunOptions { FaultInjector = t => t == "Rotate" ? new OperationCanceledException("simulated crash") : null }))
        {
            var announced = (await w.AnnounceAsync((await w.PreflightAsync(Ct)).Value, Ct)).Value;
            var stopped = (await w.StopAsync((await w.SnapshotAsync(announced, Ct)).Value, Ct)).Value;
            await Assert.ThrowsAsync<OperationCanceledException>(() => w.RotateAsync(stopped, Ct));
        } // the lock goes with the process in a real crash; here Dispose releases it
        var shifted = await site.KeysAsync();
        Assert.Equal(before.Primary, shifted.Secondary);

        using (var again = Workflow(site))
        {
            var e = await Assert.ThrowsAsync<PreflightFailedException>(() => again.PreflightAsync(Ct));
            Assert.Contains("Resume", e.Message);
            Assert.Contains("Rollback", e.Message);
        }
        using (var resume = Workflow(site)) await resume.ResumeAsync(Ct);

        var after = await site.KeysAsync();
        Assert.Equal(shifted.Primary, after.Primary);
        Assert.Equal(before.Primary, after.Secondary);
        var census = await site.CensusAsync();
        Assert.Equal(census.Total, census.UnderPrimary);
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task A_dry_run_changes_no_byte_and_stops_nothing()
    {
        await using var site = await SandboxSite.CreateAsync();
        var before = site.Hashes();
        using (var w = Workflow(site, new RunOptions { Effects = new RoboDJ.KeyRotation.Effects.DryRunEffects() })) await RunChainAsync(w);
        Assert.Equal(before, site.Hashes());
        Assert.True(await site.IsRunningAsync());
    }
}
