using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 14's re-sequencing against the independent Python app: its own config saves (MultiFernet.rotate) move the
/// fields, before Stop under the current keys and in Verify under the new ones, so the outage has no offline rewrap of
/// them. A field in a folder the app skips (logs/) is still moved, offline, and nothing is lost on either path.
/// </summary>
public sealed class RewrapByTheAppEndToEndTests
{
    const string SkippedByTheApp = "config/logs/archived_station.json";

    [Fact]
    public async Task The_app_moves_its_fields_and_Rotate_rewraps_offline_only_the_file_it_skips()
    {
        await using var site = await PythonSite.CreateAsync();
        // Under V2: the shift drops V2, so this field is lost unless something moves it to V1 first.
        var token = PythonReferencePeer.Encrypt(site.V2.Text, ["archived token"])[0];
        File.WriteAllText(Path.Combine(site.Root, SkippedByTheApp), $$"""{ "api_token": "enc:{{token}}" }""" + "\n");
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.SaveBeforeStop), "no config save by the app before Stop");
        var rewrap = journal.Entries.Single(e => e.Step == RotationStep.Rewrap && e.Phase == StepPhase.Ended);
        Assert.Equal("1", rewrap.Fact(JournalFacts.Rewrapped)); // only the skipped file's field, not the app's six
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Equal(PythonSite.FieldCount + 1, census.Fields);
        Assert.Equal(census.Fields, census.UnderV1Alone);
        Assert.Equal(1, census.UnderRingByFile[SkippedByTheApp]);
        Assert.True(await site.IsRunningAsync());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task Offline_rewraps_every_field_while_the_app_is_down_and_the_app_saves_nothing_before_Stop()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--rewrap-by", "offline"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.SaveBeforeStop);
        var rewrap = journal.Entries.Single(e => e.Step == RotationStep.Rewrap && e.Phase == StepPhase.Ended);
        Assert.Equal(PythonSite.FieldCount.ToString(), rewrap.Fact(JournalFacts.Rewrapped));
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
    }

    [Fact]
    public async Task Rewrap_by_the_app_without_its_dashboard_is_a_Preflight_refusal_that_changes_nothing()
    {
        await using var site = await PythonSite.CreateAsync();
        var before = site.KeyAndConfigHashes();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--rewrap-by", "app", "--dashboard-url", "none"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("--rewrap-by app needs the running app's dashboard", result.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Null(RotationJournal.FindLatest(site.Paths.KeyRotation));
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task An_app_running_on_other_keys_than_the_stores_is_refused_before_its_save_rewrites_anything()
    {
        await using var site = await PythonSite.CreateAsync();
        // .env edited by hand while the app runs (V1 and V2 swapped): the app still writes under the old V1.
        var env = File.ReadAllText(site.Paths.DotEnv).Replace(site.V1.Text, "<v1>").Replace(site.V2.Text, site.V1.Text).Replace("<v1>", site.V2.Text);
        File.WriteAllText(site.Paths.DotEnv, env);
        var before = site.KeyAndConfigHashes();
        var pid = site.AppPid();
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"the running app does not run on dotenv {site.Paths.DotEnv}'s V1 {site.V2.Fingerprint}", result.Output);
        Assert.Contains($"reports V1 {site.V1.Fingerprint.Hex}", result.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Null(RotationJournal.FindLatest(site.Paths.KeyRotation));
        Assert.Equal(pid, site.AppPid());
        Assert.True(await site.IsRunningAsync());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task A_config_save_before_Stop_that_fails_is_a_refusal_that_rotates_nothing_and_releases_the_lock()
    {
        await using var site = await PythonSite.CreateAsync();
        var before = site.KeyAndConfigHashes();
        var fields = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).UnderRing;
        using var build = new BuildProcess();
        // Journal line 4 is save_before_stop's start: the app dies right before its save.
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "4" };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.Entries.Count >= 4)) return;
            System.Diagnostics.Process.GetProcessById(site.AppPid()).Kill();
        });

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("Refused before Stop: the app's config save before Stop failed", result.Output);
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack), "the refused rotation's journal is not closed");
        Assert.DoesNotContain(journal.Entries, e => e.Step is RotationStep.Stop or RotationStep.Shift or RotationStep.Rollback);
        Assert.False(File.Exists(site.Paths.RotationLock), "the lock is still held");
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Equal(fields, PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");

        // A Rollback by hand has nothing to undo: restoring the refused rotation's snapshot would only revert later edits.
        File.WriteAllText(Path.Combine(site.Paths.Config, "edited_after.json"), """{ "station": "edited after the refusal" }""" + "\n");
        var edited = site.KeyAndConfigHashes();
        var rollback = await build.RunAsync(site.BuildArgs("Rollback"));
        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        Assert.Contains("was refused at Stop before it changed anything, so there is nothing to roll back", rollback.Output);
        Assert.Equal(edited, site.KeyAndConfigHashes());

        // Nothing is left behind: once the app runs again, the next rotation goes through.
        await site.StartAsync();
        var again = await build.RunAsync(site.BuildArgs("Rotate"));
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    // Journal lines 3 (Snapshot's end), 4 (the save's start) and 5 (its end): the app has not been stopped yet.
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task SIGTERM_before_Stop_restores_nothing_and_leaves_the_same_app_running_without_an_outage(int step)
    {
        await using var site = await PythonSite.CreateAsync();
        var fields = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).UnderRing;
        var keysBefore = File.ReadAllText(site.Paths.DotEnv);
        var appBefore = site.AppPid();
        using var build = new BuildProcess();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = step.ToString() };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.Entries.Count >= step)) return;
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()])!;
            await kill.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.True(result.Output.Contains("nothing to roll back", StringComparison.Ordinal), result.ToString());
        Assert.Contains("failed before any change. rotation", result.Output); // the announced outcome
        Assert.Contains("ended before Stop (cancelled): nothing was rotated and the app kept running on its keys", result.Output);
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack), result.ToString());
        Assert.DoesNotContain(journal.Entries, e => e.Step is RotationStep.Stop or RotationStep.Shift or RotationStep.Rollback);
        Assert.Equal(appBefore, site.AppPid()); // never stopped, never restarted: no outage
        Assert.False(Directory.Exists(site.Paths.Incidents) && Directory.EnumerateFileSystemEntries(site.Paths.Incidents).Any(), "a postmortem was written");
        Assert.False(File.Exists(site.Paths.RotationLock), "the lock is still held");
        Assert.Equal(keysBefore, File.ReadAllText(site.Paths.DotEnv));
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Empty(census.Undecryptable);
        Assert.Equal(fields, census.UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");

        // The next rotation is not blocked by it.
        var again = await build.RunAsync(site.BuildArgs("Rotate"));
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task SIGTERM_before_Stop_with_the_app_gone_meanwhile_rolls_back_in_full_and_starts_it_again()
    {
        await using var site = await PythonSite.CreateAsync();
        var before = site.KeyAndConfigHashes();
        using var build = new BuildProcess();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "3" };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.Entries.Count >= 3)) return;
            using (var app = System.Diagnostics.Process.GetProcessById(site.AppPid())) { app.Kill(); await app.WaitForExitAsync(); }
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()])!;
            await kill.WaitForExitAsync();
        });

        // Only a full rollback starts the app again; closing the journal would have left it down.
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("rolled back cleanly", result.Output);
        Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync(), result.ToString());
        Assert.Empty(PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).Undecryptable);
    }

    [Fact]
    public async Task With_allow_undecryptable_a_known_lost_field_stays_as_it_is_and_the_apps_saves_move_the_rest()
    {
        await using var site = await PythonSite.CreateAsync();
        var lost = site.PlantFieldUnderALostKey();
        var lostBytes = File.ReadAllBytes(lost);
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--allow-undecryptable"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(RotationJournal.FindLatest(site.Paths.KeyRotation)!.HasEnded(RotationStep.SaveBeforeStop), "the app did not rewrap");
        Assert.Equal(lostBytes, File.ReadAllBytes(lost));
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
        Assert.Single(census.Undecryptable);
    }

    [Fact]
    public async Task A_key_check_that_names_no_V1_makes_auto_rewrap_offline_and_app_refuse()
    {
        await using var site = await PythonSite.CreateAsync();
        // As a RoboDJ that logs neither its V1 nor its pid: nothing shows which key its saves would write under.
        File.AppendAllText(site.Paths.StartupLog, """{"event": "key_check", "message": "Key presence/integrity check: PASS"}""" + "\n");
        var before = site.KeyAndConfigHashes();
        using var build = new BuildProcess();

        var refused = await build.RunAsync([.. site.BuildArgs("Rotate"), "--rewrap-by", "app"]);
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("--rewrap-by app: ", refused.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Null(RotationJournal.FindLatest(site.Paths.KeyRotation));

        var auto = await build.RunAsync(site.BuildArgs("Rotate"));
        Assert.True(auto.ExitCode == 0, auto.ToString());
        Assert.Contains("rewrapped offline while the app is down", auto.Output);
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.SaveBeforeStop);
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
    }

    [Fact]
    public async Task A_file_written_after_the_apps_save_and_before_Stop_is_rewrapped_offline_and_nothing_is_lost()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        // Journal line 5 is save_before_stop's end: another writer adds a field only V2 opens before the app stops.
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "5" };
        var late = Path.Combine(site.Root, "config", "logs", "late_writer.json");

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.HasEnded(RotationStep.SaveBeforeStop))) return;
            var token = PythonReferencePeer.Encrypt(site.V2.Text, ["written late"])[0];
            File.WriteAllText(late, $$"""{ "api_token": "{{token}}" }""" + "\n");
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("were written after the app's save before Stop", result.Output);
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Empty(census.Undecryptable);
        Assert.Equal(PythonSite.FieldCount + 1, census.UnderV1Alone);
        Assert.Equal(1, census.UnderRingByFile["config/logs/late_writer.json"]);
    }
}
