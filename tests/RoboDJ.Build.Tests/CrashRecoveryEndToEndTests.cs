using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The build is SIGKILLed right after its n-th journal line is on disk. A rerun of Rotate must refuse and name Resume
/// and Rollback; then Resume (odd n) or Rollback (even n) brings the deployment back to a state where every field
/// decrypts with the keys in .env and the app runs.
/// </summary>
public sealed class CrashRecoveryEndToEndTests
{
    // Begin, then start/end of Snapshot, SaveBeforeStop (app) or Rewrap (offline, after Shift), Stop, Shift, Start, Verify.
    public static TheoryData<int, string> JournalWrites()
    {
        var cases = new TheoryData<int, string>();
        foreach (var rewrapBy in new[] { "app", "offline" })
            foreach (var write in Enumerable.Range(1, 13)) cases.Add(write, rewrapBy);
        return cases;
    }

    [Theory]
    [MemberData(nameof(JournalWrites))]
    public async Task A_build_killed_after_a_journal_write_is_recovered_by_Resume_or_Rollback(int write, string rewrapBy)
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        string[] Args(string target) => [target, "--env", "sandbox", "--deployment-root", site.Root, "--rewrap-by", rewrapBy];
        var original = await site.KeysAsync();
        var originalFiles = site.KeyAndConfigHashes();

        var crashed = await build.RunAsync(Args("Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = write.ToString() });
        Assert.True(crashed.ExitCode is 137 or -1 or 9, crashed.ToString());
        var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation);
        Assert.NotNull(journal);
        Assert.Equal(write, journal.Entries.Count);
        Assert.Equal(rewrapBy == "app" && write >= 4, journal.Entries.Any(e => e.Step == RotationStep.SaveBeforeStop));
        Assert.Equal(rewrapBy == "offline" && write >= 8, journal.Entries.Any(e => e.Step == RotationStep.Rewrap));

        var rerun = await build.RunAsync(Args("Rotate"));
        Assert.True(rerun.ExitCode == 3, rerun.ToString());
        Assert.Contains("Resume", rerun.Output);
        Assert.Contains("Rollback", rerun.Output);
        Assert.Equal(journal.Entries.Count, RotationJournal.Open(journal.Directory).Entries.Count);

        var resume = write % 2 == 1;
        var recovered = await build.RunAsync(Args(resume ? "Resume" : "Rollback"));
        Assert.True(recovered.ExitCode == 0, recovered.ToString());

        var keys = await site.KeysAsync();
        var census = await site.CensusAsync();
        Assert.Empty(census.Undecryptable);
        // And by a census that is not ours: python's MultiFernet over python-dotenv's reading of .env.
        var independent = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Empty(independent.Undecryptable);
        Assert.Equal(census.Total, independent.UnderRing);
        Assert.True(await site.IsRunningAsync());
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        if (resume)
        {
            Assert.Equal(original.Primary, keys.Secondary);
            Assert.Equal(census.Total, census.UnderPrimary);
        }
        else Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        var canaries = site.Canaries.Concat([keys.Primary!.Text]).ToList();
        Canary.AssertAbsent(crashed.Output + rerun.Output + recovered.Output, canaries, "the build's output");
    }

    [Fact]
    public async Task Resume_keeps_the_allowance_for_fields_Preflight_found_undecryptable()
    {
        await using var site = await PythonSite.CreateAsync();
        var lost = site.PlantFieldUnderALostKey();
        var lostBytes = File.ReadAllBytes(lost);
        using var build = new BuildProcess();
        string[] Args(string target) => [.. site.BuildArgs(target), "--rewrap-by", "offline"];

        // Offline: Begin, Snapshot, Stop, then the shift's start and end (line 7).
        var crashed = await build.RunAsync([.. Args("Rotate"), "--allow-undecryptable"],
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = "7" });
        Assert.True(crashed.ExitCode is 137 or -1 or 9, crashed.ToString());
        Assert.True(RotationJournal.FindUnfinished(site.Paths.KeyRotation)!.HasEnded(RotationStep.Shift), crashed.ToString());

        // The allowance comes from the journal, not from this run's options.
        var resumed = await build.RunAsync(Args("Resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(lostBytes, File.ReadAllBytes(lost));
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
        Assert.Single(census.Undecryptable);
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task A_rollback_keeps_the_allowance_for_fields_Preflight_found_undecryptable()
    {
        await using var site = await PythonSite.CreateAsync();
        var lost = site.PlantFieldUnderALostKey();
        var before = site.KeyAndConfigHashes();
        using var build = new BuildProcess();

        var failed = await build.RunAsync([.. site.BuildArgs("Rotate"), "--allow-undecryptable"],
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" });

        Assert.True(failed.ExitCode == 4, failed.ToString());
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Single(PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).Undecryptable);
        Assert.True(File.Exists(lost));
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        Assert.True(await site.IsRunningAsync());
    }
}
