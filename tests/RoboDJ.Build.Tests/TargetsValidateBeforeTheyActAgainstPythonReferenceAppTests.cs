using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 19, "targets act before they validate", against the Python reference app: Resume and Rollback check the
/// journal, the snapshot's manifest and hashes and the store's keys against the journal before their first change, and
/// a refusal stops no app and creates nothing (the tree's hash, mode and owner of every entry, folders included).
/// </summary>
public sealed class TargetsValidateBeforeTheyActAgainstPythonReferenceAppTests
{
    const int SnapshotEnded = 3, StartEnded = 11, VerifyStarted = 12; // offline: Begin, Snapshot s/e, Stop s/e, Shift s/e, Rewrap s/e, Start s/e, Verify s/e

    [Fact]
    public async Task Resume_with_env_keys_that_differ_from_the_journal_refuses_before_stopping_the_app_and_then_resumes_once_they_are_put_back()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var killed = await build.RunAsync(Offline(site, "Rotate"), KillAfter(SnapshotEnded));
        Assert.Equal(SnapshotEnded, RotationJournal.FindUnfinished(site.Paths.KeyRotation)?.Entries.Count);
        var originalEnv = site.EnvBytes();
        var stranger = FernetKey.Generate();
        File.WriteAllBytes(site.Paths.DotEnv, System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(originalEnv).Replace(site.V1.Text, stranger.Text)));
        var app = site.AppPid();
        var before = TreeState.Of(site.Root, "config/logs");

        var refused = await build.RunAsync(site.BuildArgs("Resume"));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("Resume refused before any change", refused.Output);
        Assert.Contains($"V1 {stranger.Fingerprint}", refused.Output);
        Assert.Contains($"the old pair (V1 {site.V1.Fingerprint}", refused.Output);
        Assert.DoesNotContain("Rollback:", refused.Output);
        TreeState.AssertUnchanged(before, site.Root, "config/logs");
        Assert.Equal(app, site.AppPid());
        Assert.True(RoboDJ.KeyRotation.Runtimes.ProcessTable.Get(app) is not null, "the app was stopped");
        Assert.Equal(stranger.Fingerprint.Hex, site.PythonCensus().V1);

        File.WriteAllBytes(site.Paths.DotEnv, originalEnv);
        var resumed = await build.RunAsync(site.BuildArgs("Resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal((keys.Primary!.Fingerprint.Hex, site.V1.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderV1Alone));
        Canary.AssertAbsent(killed.Output + refused.Output + resumed.Output, site.Canaries.Append(stranger.Text).Append(keys.Primary.Text), "the builds' output");
    }

    [Fact]
    public async Task Rollback_by_hand_with_a_tampered_snapshot_file_refuses_before_stopping_the_app_and_never_says_to_copy_the_snapshot()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var killed = await build.RunAsync(Offline(site, "Rotate"), KillAfter(StartEnded));
        var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
        var tampered = Path.Combine(site.Paths.SnapshotDirectory(journal.Id), "files", "config", "settings.json");
        File.AppendAllText(tampered, " ");
        var app = await AppPidAsync(site); // the app Start launched writes its pid file a moment after it was found
        var before = TreeState.Of(site.Root, "config/logs");

        var refused = await build.RunAsync(site.BuildArgs("Rollback"));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("Rollback refused before any change", refused.Output);
        Assert.Contains("config/settings.json: its SHA-256 does not match the manifest", refused.Output);
        Assert.DoesNotMatch(@"copy \S*snapshot", refused.Output);
        TreeState.AssertUnchanged(before, site.Root, "config/logs");
        Assert.Equal(app, site.AppPid());
        Assert.True(RoboDJ.KeyRotation.Runtimes.ProcessTable.Get(app) is not null, "the app was stopped");
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.Rollback);
        // The rotation's keys and fields stand: every field opens with what .env holds.
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderRing));
        Canary.AssertAbsent(killed.Output + refused.Output, site.Canaries.Append(keys.Primary.Text), "the builds' output");
    }

    [Fact]
    public async Task A_rotation_whose_snapshot_was_tampered_with_before_its_rollback_stops_nothing_and_its_manual_steps_never_say_to_copy_the_snapshot()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = VerifyStarted.ToString() };
        var launched = 0;

        var result = await build.RunAsync(Offline(site, "Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => site.JournalLines() >= VerifyStarted)) return;
            var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
            File.AppendAllText(Path.Combine(site.Paths.SnapshotDirectory(journal.Id), "files", "config", "settings.json"), " ");
            launched = await AppPidAsync(site);
        });

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("the snapshot no longer matches its manifest, so it was not used and must not be copied anywhere", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"copy \S*snapshot", result.Output);
        Assert.NotEqual(0, launched);
        Assert.Equal(launched, site.AppPid()); // the rollback left the app Start launched as it was
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal((keys.Primary!.Fingerprint.Hex, site.V1.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderRing));
        Canary.AssertAbsent(result.Output, site.Canaries.Append(keys.Primary.Text), "the build's output");
    }

    [Fact]
    public async Task A_missing_confirm_in_production_changes_nothing_not_even_an_empty_key_rotation_folder()
    {
        await using var site = await PythonSite.CreateAsync();
        File.WriteAllText(site.Paths.DotEnv, File.ReadAllText(site.Paths.DotEnv).Replace("ROBODJ_ENV=sandbox", "ROBODJ_ENV=production"));
        using var build = new BuildProcess();
        var before = TreeState.Of(site.Root, "config/logs");
        var app = site.AppPid();

        var refused = await build.RunAsync([.. site.BuildArgs("Rotate").Select(a => a == "sandbox" ? "production" : a),
            "--dashboard-url", $"http://127.0.0.1:{site.Port}", "--announce-channels", "log"]);

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("--confirm production", refused.Output);
        TreeState.AssertUnchanged(before, site.Root, "config/logs");
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
        Assert.Equal(app, site.AppPid());
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderRing);
        Canary.AssertAbsent(refused.Output, site.Canaries, "the build's output");
    }

    static string[] Offline(PythonSite site, string target) => [.. site.BuildArgs(target), "--rewrap-by", "offline"];

    static Dictionary<string, string> KillAfter(int line) => new() { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = line.ToString() };

    static async Task<int> AppPidAsync(PythonSite site)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int pid;
        while ((pid = site.AppPid()) == 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        return pid;
    }
}
