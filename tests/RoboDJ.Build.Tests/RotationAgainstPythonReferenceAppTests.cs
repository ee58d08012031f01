using System.Text;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The build as a process against the independent Python reference app (python-dotenv, MultiFernet, http.server) on
/// the desktop runtime: the fields are checked by a python MultiFernet census and .env by python-dotenv, not by our code.
/// </summary>
public sealed class RotationAgainstPythonReferenceAppTests
{
    [Fact]
    public async Task Two_rotations_in_a_row_leave_every_field_under_the_new_V1_and_the_env_bytes_but_the_key_lines_unchanged()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.PythonCensus();
        Assert.Equal(PythonSite.FieldCount, before.Fields);
        Assert.Equal(3, before.UnderV1Alone);
        Assert.Equal(site.V1.Fingerprint.Hex, before.V1);
        Assert.Equal(Fingerprint.Of(site.DashboardPassword).Hex, before.ValueFingerprints["ROBODJ_DASHBOARD_PASSWORD"]);
        Assert.Equal(Fingerprint.Of("Night # shift").Hex, before.ValueFingerprints["ROBODJ_STATION_NAME"]);
        var originalEnv = site.EnvBytes();
        var previous = site.V1;
        var outputs = new List<string>();

        for (var round = 1; round <= 2; round++)
        {
            var pidBefore = site.AppPid();
            var result = await build.RunAsync(site.BuildArgs("Rotate"));
            outputs.Add(result.Output);
            Assert.True(result.ExitCode == 0, $"round {round}: {result}");

            var keys = await site.KeysAsync();
            Assert.Equal(previous, keys.Secondary);
            var census = site.PythonCensus();
            Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
            Assert.Equal(previous.Fingerprint.Hex, census.V2);
            Assert.Equal(PythonSite.FieldCount, census.Fields);
            Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
            Assert.Empty(census.Undecryptable);

            Assert.True(await site.IsRunningAsync());
            var pass = site.LastPass();
            Assert.NotEqual(pidBefore, site.AppPid());
            Assert.Equal(site.AppPid(), pass.GetProperty("pid").GetInt32());
            Assert.Equal(keys.Primary.Fingerprint.Hex, pass.GetProperty("v1").GetString());
            Assert.Equal(previous.Fingerprint.Hex, pass.GetProperty("v2").GetString());
            AssertOnlyTheKeyLinesChanged(originalEnv, site.EnvBytes());
            Assert.Equal(before.ValueFingerprints.Keys.Order(), census.ValueFingerprints.Keys.Order());
            foreach (var name in new[] { "ROBODJ_ENV", "ROBODJ_DASHBOARD_URL", "ROBODJ_DASHBOARD_PASSWORD", "ROBODJ_STATION_NAME" })
                Assert.Equal(before.ValueFingerprints[name], census.ValueFingerprints[name]);
            site.Canaries.Add(keys.Primary.Text);
            previous = keys.Primary;
        }

        Assert.Equal(2, RotationJournal.All(site.Paths.KeyRotation).Count(j => j.IsFinished));
        foreach (var output in outputs) Canary.AssertAbsent(output, site.Canaries, "the build's output");
        Canary.AssertAbsent(File.ReadAllText(site.Paths.StartupLog), site.Canaries, "the reference app's startup log");
    }

    [Fact]
    public async Task A_failure_injected_at_Verify_rolls_back_with_the_python_app_running_on_the_old_keys()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        var pass = site.LastPass();
        Assert.Equal(site.AppPid(), pass.GetProperty("pid").GetInt32());
        Assert.Equal(site.V1.Fingerprint.Hex, pass.GetProperty("v1").GetString());
        Assert.Equal(site.V2.Fingerprint.Hex, pass.GetProperty("v2").GetString());
        var census = site.PythonCensus();
        Assert.Equal(PythonSite.FieldCount, census.UnderRing);
        Assert.Equal(site.V1.Fingerprint.Hex, census.V1);
        var postmortem = Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        Assert.Contains("**Failed target:** Verify", File.ReadAllText(postmortem));
        Canary.AssertAbsent(result.Output + File.ReadAllText(postmortem), site.Canaries, "output and postmortem");
    }

    // Odd writes are resumed, even ones rolled back (as in CrashRecoveryEndToEndTests). 4: the app is being stopped;
    // 7: the keys are shifted and the app is down; 8: the rewrap began; 9: the rewrap is done; 11: the app started on the new keys.
    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(11)]
    public async Task A_build_killed_after_a_journal_write_is_recovered_by_Resume_or_Rollback_with_the_python_app_running(int write)
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var originalFiles = site.KeyAndConfigHashes();

        var crashed = await build.RunAsync(site.BuildArgs("Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = write.ToString() });
        Assert.True(crashed.ExitCode is 137 or -1 or 9, crashed.ToString());
        Assert.Equal(write, RotationJournal.FindUnfinished(site.Paths.KeyRotation)?.Entries.Count);

        var resume = write % 2 == 1;
        var recovered = await build.RunAsync(site.BuildArgs(resume ? "Resume" : "Rollback"));

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Empty(census.Undecryptable);
        if (resume)
        {
            Assert.Equal(site.V1, keys.Secondary);
            Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
        }
        else Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        var pass = site.LastPass();
        Assert.Equal(site.AppPid(), pass.GetProperty("pid").GetInt32());
        Assert.Equal(keys.Primary.Fingerprint.Hex, pass.GetProperty("v1").GetString());
        Canary.AssertAbsent(crashed.Output + recovered.Output, site.Canaries.Append(keys.Primary.Text), "the build's output");
    }

    [Fact]
    public async Task Rollback_alone_after_a_rotation_gives_back_the_original_bytes_and_the_python_app_runs_on_the_old_keys()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        Assert.Equal(0, (await build.RunAsync(site.BuildArgs("Rotate"))).ExitCode);
        Assert.NotEqual(original, site.KeyAndConfigHashes());

        var rollback = await build.RunAsync(site.BuildArgs("Rollback"));

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(site.V1.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
        Assert.Equal(site.V1.Fingerprint.Hex, site.PythonCensus().V1);
    }

    [Fact]
    public async Task A_dry_run_changes_no_byte_and_leaves_the_python_app_running_and_Verify_alone_passes()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.KeyAndConfigHashes();
        var pid = site.AppPid();

        var dry = await build.RunAsync([.. site.BuildArgs("Rotate"), "--dry-run"]);
        var verify = await build.RunAsync(site.BuildArgs("Verify"));

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Equal(pid, site.AppPid());
        Assert.Contains("would stop", dry.Output);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(pid, site.AppPid());
        Canary.AssertAbsent(dry.Output + verify.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task Without_its_pid_file_the_python_app_is_found_by_the_process_name_and_stopped_before_the_restart()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var first = site.AppPid();
        File.Delete(Path.Combine(site.Root, PythonSite.PidFileName));

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"pid {first}", result.Output);
        Assert.True(RoboDJ.KeyRotation.Runtimes.ProcessTable.Get(first) is null, $"the first app (pid {first}) still runs");
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(site.AppPid(), site.LastPass().GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task On_docker_a_rotation_restarts_the_python_app_in_its_container_on_the_new_keys()
    {
        await using var site = await PythonSite.CreateAsync(runtime: PythonSiteRuntime.Docker);
        using var build = new BuildProcess();
        var originalEnv = site.EnvBytes();

        var result = await build.RunAsync(site.BuildArgs("Rotate"), timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = await site.KeysAsync();
        Assert.Equal(site.V1, keys.Secondary);
        var census = site.PythonCensus();
        Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(keys.Primary.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
        AssertOnlyTheKeyLinesChanged(originalEnv, site.EnvBytes());
        Canary.AssertAbsent(result.Output, site.Canaries.Append(keys.Primary.Text), "the build's output");
    }

    [Fact]
    public async Task On_docker_a_failure_injected_at_Verify_rolls_back_with_the_python_app_on_the_old_keys()
    {
        await using var site = await PythonSite.CreateAsync(runtime: PythonSiteRuntime.Docker);
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), hooks, timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(site.V1.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderRing);
    }

    // Python's http.server answers HTTP/1.0 without a Connection header; with this quirk it also closes 0.2 s after each
    // answer, so a client that pools the connection fails every time ("the response ended prematurely").
    [Fact]
    public async Task A_rotation_passes_Verify_against_a_dashboard_that_closes_HTTP_1_0_connections_late_without_saying_so()
    {
        await using var site = await PythonSite.CreateAsync(silentLateClose: 0.2);
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
    }

    // The app skips config/backups/, the rotation's scope does not: a field left there under a dropped key would be lost
    // for good if the app ever restored that backup. A backup already under a retired key is therefore a refusal that
    // names it, and excluding the folder (the documented choice for a folder the app never reads) lets the rotation on.
    [Fact]
    public async Task A_backup_under_a_retired_key_is_refused_by_name_until_its_folder_is_excluded_and_is_then_left_untouched()
    {
        await using var site = await PythonSite.CreateAsync(start: false);
        var backup = Path.Combine(site.Paths.Config, "backups", "settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        File.WriteAllText(backup, $"{{\"stream\": {{\"password\": \"{PythonReferencePeer.Encrypt(FernetKey.Generate().Text, ["old"])[0]}\"}}}}\n");
        var backupBytes = File.ReadAllBytes(backup);
        await site.StartAsync();
        using var build = new BuildProcess();
        var before = site.KeyAndConfigHashes();

        var refused = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("config/backups/settings.json $.stream.password", refused.Output);
        Assert.Contains("--config-exclusions", refused.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());

        var excluded = await build.RunAsync([.. site.BuildArgs("Rotate"), "--config-exclusions", "agents", "backups"]);

        Assert.True(excluded.ExitCode == 0, excluded.ToString());
        Assert.Equal(backupBytes, File.ReadAllBytes(backup));
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
    }

    /// <summary>Every line but the two key lines is byte-identical; the key lines keep their export, quotes and ending.</summary>
    static void AssertOnlyTheKeyLinesChanged(byte[] before, byte[] after)
    {
        var old = Lines(before);
        var now = Lines(after);
        Assert.Equal(old.Count, now.Count);
        for (var i = 0; i < old.Count; i++)
        {
            if (old[i].StartsWith(PythonSite.V1Line))
            {
                Assert.StartsWith(PythonSite.V1Line + "\"", now[i]);
                Assert.EndsWith("\"\n", now[i]);
            }
            else if (old[i].StartsWith(PythonSite.V2Line))
            {
                Assert.StartsWith(PythonSite.V2Line + "'", now[i]);
                Assert.EndsWith("'\r\n", now[i]);
            }
            else Assert.Equal(old[i], now[i]);
        }
    }

    /// <summary>The file's lines with their endings, so a CRLF that turned into LF is a difference.</summary>
    static List<string> Lines(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
