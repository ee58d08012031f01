using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Windows;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WineCollection
{
    /// <summary>One prefix, one wineserver: the Wine tests run one at a time, and alone, so a slow machine does not time them out.</summary>
    public const string Name = "Wine";
}

/// <summary>
/// Issue 21: the pipeline as it runs on Windows, proven under Wine. `_build.exe` (win-x64, self-contained) rotates a
/// deployment whose app is `app\RoboDJ Automation.exe`, started by `RoboDJ_Launcher.bat` through `cmd /c`, stopped by
/// a close request (`taskkill /PID n` without /F), then by force. Windows' Python cannot be had without the network, so
/// the app is the sandbox app (not the Python reference app); every case ends with the independent Python census of
/// the deployment on the Linux side and a scan of the output for the keys.
/// </summary>
[Collection(WineCollection.Name)]
public sealed class WindowsPipelineUnderWineTests
{
    static void Report(string what, WinePeer.Result result) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: exit {result.ExitCode} in {result.Took.TotalSeconds:0.0} s");

    [Fact]
    public async Task A_full_rotation_asks_the_app_to_close_restarts_it_through_the_bat_on_the_new_keys_and_leaves_a_stranger_of_its_name_alone()
    {
        await using var site = await WineSite.CreateAsync();
        var before = await site.KeysAsync();
        var appBefore = site.AppPid();
        // A program of the app's name elsewhere (the probe, renamed), holding a file of its own folder open for ten minutes.
        using var elsewhere = new TempDir("robodj-wine-stranger");
        var programs = await WinePeer.ProgramsAsync();
        foreach (var file in Directory.EnumerateFiles(programs.Probe)) File.Copy(file, Path.Combine(elsewhere.Path, Path.GetFileName(file)));
        File.Move(Path.Combine(elsewhere.Path, "RoboDJ.AtomicWriter.Probe.exe"), Path.Combine(elsewhere.Path, WineSite.AppExeName));
        File.WriteAllText(Path.Combine(elsewhere.Path, "held.txt"), "the stranger's own file\n");
        using var stranger = WinePeer.StartDetached(Path.Combine(elsewhere.Path, WineSite.AppExeName),
            ["hold", WinePeer.WindowsPath(Path.Combine(elsewhere.Path, "held.txt")), "600000"], Path.Combine(elsewhere.Path, "stranger.log"), elsewhere.Path);
        await WaitForAsync(() => File.Exists(Path.Combine(elsewhere.Path, "stranger.log")) && File.ReadAllText(Path.Combine(elsewhere.Path, "stranger.log")).Contains("holding"));

        var result = await site.BuildAsync("Rotate");
        Report("Rotate", result);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Output.Contains($"stopped 'RoboDJ Automation' (pid {appBefore}, exited gracefully)", StringComparison.Ordinal), result.ToString());
        Assert.False(stranger.HasExited, $"the stranger named '{WineSite.ProcessName}' in another folder was stopped:\n{result}");
        var keys = await site.KeysAsync();
        Assert.Equal(before.Primary, keys.Secondary);
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(before.Primary!.Fingerprint.Hex, census.V2);
        Assert.Equal(census.Fields, census.UnderV1Alone);
        Assert.Empty(census.Undecryptable);
        Assert.True(site.AppRuns());
        Assert.NotEqual(appBefore, site.AppPid());
        Assert.Equal(site.AppPid(), site.LastPass().GetProperty("pid").GetInt32());
        Assert.Equal(keys.Primary.Fingerprint.ToString(), site.LastPass().GetProperty("v1").GetString());
        Canary.AssertAbsent(result.Output, site.Canaries.Append(keys.Primary.Text), "the build's output under Wine");
    }

    [Fact]
    public async Task A_Verify_that_fails_is_rolled_back_to_the_old_keys_and_config_with_the_app_running_again()
    {
        await using var site = await WineSite.CreateAsync();
        var before = await site.KeysAsync();
        var tree = KeysAndConfig(site);
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" };

        var result = await site.BuildAsync("Rotate", hooks);
        Report("Rotate with Verify failing", result);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("injected failure in Verify", result.Output);
        Assert.Equal(tree, KeysAndConfig(site));
        var census = site.PythonCensus();
        Assert.Equal(before.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(before.Secondary!.Fingerprint.Hex, census.V2);
        Assert.Equal(census.Fields, census.UnderRing);
        Assert.Empty(census.Undecryptable);
        Assert.True(site.AppRuns());
        Assert.Equal(before.Primary.Fingerprint.ToString(), site.LastPass().GetProperty("v1").GetString());
        Assert.Single(Directory.GetFiles(Path.Combine(site.Root, "config", "incidents"), "*.md"));
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output under Wine");
    }

    // 9 journal lines: the app saved its config, was stopped and the keys shifted; it is down until Resume starts it.
    [Fact]
    public async Task A_build_killed_after_the_key_shift_is_finished_by_Resume_with_every_field_under_the_new_key()
    {
        await using var site = await WineSite.CreateAsync();
        var before = await site.KeysAsync();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = "9" };

        var killed = await site.BuildAsync("Rotate", hooks);
        Report("Rotate killed", killed);
        var unfinished = RotationJournal.FindUnfinished(Path.Combine(site.Root, "key_rotation"));
        Assert.True(unfinished?.Entries.Count == 9, killed.ToString());
        var resumed = await site.BuildAsync("Resume");
        Report("Resume", resumed);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Null(RotationJournal.FindUnfinished(Path.Combine(site.Root, "key_rotation")));
        var keys = await site.KeysAsync();
        Assert.Equal(before.Primary, keys.Secondary);
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(census.Fields, census.UnderV1Alone);
        Assert.Empty(census.Undecryptable);
        Assert.True(site.AppRuns());
        Assert.Equal(keys.Primary.Fingerprint.ToString(), site.LastPass().GetProperty("v1").GetString());
        Canary.AssertAbsent(killed.Output + resumed.Output, site.Canaries.Append(keys.Primary.Text), "the build's output under Wine");
    }

    [Fact]
    public async Task Status_reports_the_keys_the_census_and_the_running_app_and_changes_nothing()
    {
        await using var site = await WineSite.CreateAsync();
        var keys = await site.KeysAsync();
        var tree = site.Tree();

        var result = await site.BuildAsync("Status");
        Report("Status", result);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"V1 {keys.Primary!.Fingerprint}", result.Output);
        Assert.Contains("running; latest key check PASS", result.Output);
        Assert.Equal(tree, site.Tree());
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary.Fingerprint.Hex, census.V1);
        Assert.Equal(census.Fields, census.UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output under Wine");
    }

    [Fact]
    public async Task A_dry_run_changes_no_byte_and_leaves_the_same_app_running()
    {
        await using var site = await WineSite.CreateAsync();
        var keys = await site.KeysAsync();
        var tree = site.Tree();
        var pid = site.AppPid();

        var result = await site.BuildAsync("Rotate", null, "--dry-run");
        Report("Rotate --dry-run", result);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"would stop 'RoboDJ Automation': pid {pid}", result.Output);
        Assert.Equal(tree, site.Tree());
        Assert.Equal(pid, site.AppPid());
        Assert.True(site.AppRuns());
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(census.Fields, census.UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output under Wine");
    }

    static Dictionary<string, string> KeysAndConfig(WineSite site) =>
        site.Tree().Where(kv => kv.Key == ".env" || (kv.Key.StartsWith("config" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !kv.Key.Contains($"{Path.DirectorySeparatorChar}logs{Path.DirectorySeparatorChar}") && !kv.Key.Contains($"{Path.DirectorySeparatorChar}incidents{Path.DirectorySeparatorChar}")))
            .ToDictionary();

    static async Task WaitForAsync(Func<bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the stranger never took its file");
            await Task.Delay(100);
        }
    }
}
