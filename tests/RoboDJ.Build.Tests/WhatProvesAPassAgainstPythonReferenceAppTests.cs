using System.Net.Sockets;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 25, "accepting forged evidence", against the Python reference app (which names its pid on every key check):
/// Verify takes a PASS line only from the app Start launched, only while it still runs, never a pid-less line another
/// process appended; and once it has the PASS it waits for the dashboard within its timeout. Each case ends with the
/// independent census and a key scan.
/// </summary>
public sealed class WhatProvesAPassAgainstPythonReferenceAppTests
{
    const int StartStarted = 10, StartEnded = 11; // offline: Begin, Snapshot s/e, Stop s/e, Shift s/e, Rewrap s/e, Start s/e, Verify s/e

    // The case: with the dashboard checks off, an app that never passed and exited was "completed and verified".
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pid_less_PASS_another_process_appends_after_Start_never_verifies_an_app_that_exited_and_the_rotation_rolls_back(bool withV1)
    {
        await using var site = await PythonSite.CreateAsync();
        FailTheNextStartAfter(site, seconds: 3);
        using var build = new BuildProcess();
        string? forged = null;

        var result = await build.RunAsync(NoDashboard(site, "Rotate"), during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => site.JournalLines() >= StartStarted)) return;
            var v1 = (await site.KeysAsync()).Primary!.Fingerprint.ToString();
            forged = JsonSerializer.Serialize(withV1
                ? (object)new { @event = "key_check", message = StartupLog.PassText, v1 }
                : new { @event = "key_check", message = StartupLog.PassText });
            File.AppendAllText(site.Paths.StartupLog, forged + "\n");
        });

        Assert.NotNull(forged);
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.DoesNotContain("completed and verified", result.Output);
        Assert.Contains("it names no pid, but this app's own key checks name theirs, so another process wrote it", result.Output);
        await AssertRolledBackWithTheAppRunningAsync(site, result);
    }

    [Fact]
    public async Task A_PASS_line_naming_the_launched_pid_counts_only_while_that_app_still_runs()
    {
        await using var site = await PythonSite.CreateAsync();
        FailTheNextStartAfter(site, seconds: 2);
        using var build = new BuildProcess();
        var forgedFor = 0;

        var result = await build.RunAsync(NoDashboard(site, "Rotate"), during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => site.JournalLines() >= StartEnded)) return;
            var launched = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!.Fact(KeyRotationWorkflow.LaunchedFact)!;
            var pid = int.Parse(launched.Split(',')[0].Split('@')[0]);
            while (RoboDJ.KeyRotation.Runtimes.ProcessTable.Get(pid) is not null && !process.HasExited) await Task.Delay(20);
            var v1 = (await site.KeysAsync()).Primary!.Fingerprint.ToString();
            File.AppendAllText(site.Paths.StartupLog, JsonSerializer.Serialize(new { @event = "key_check", message = StartupLog.PassText, pid, v1 }) + "\n");
            forgedFor = pid;
        });

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.NotEqual(0, forgedFor);
        Assert.Contains($"the app Start launched (pid {forgedFor}", result.Output);
        Assert.Contains("is no longer running", result.Output);
        await AssertRolledBackWithTheAppRunningAsync(site, result);
    }

    [Fact]
    public async Task An_app_that_logs_its_PASS_before_its_dashboard_listens_is_verified_once_the_dashboard_answers()
    {
        await using var site = await PythonSite.CreateAsync(dashboardAfter: 4);
        await DashboardAnswersAsync(site);
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("The dashboard does not answer yet", result.Output);
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal((keys.Primary!.Fingerprint.Hex, site.V1.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderV1Alone));
        Canary.AssertAbsent(result.Output, site.Canaries.Append(keys.Primary.Text), "the build's output");
    }

    static string[] NoDashboard(PythonSite site, string target) => [.. site.BuildArgs(target), "--dashboard-url", "none", "--rewrap-by", "offline"];

    /// <summary>The next start runs, under the app's name, a process that writes nothing and exits after <paramref name="seconds"/>; later starts run the app.</summary>
    static void FailTheNextStartAfter(PythonSite site, int seconds)
    {
        var launcher = Path.Combine(site.Root, PythonSite.LauncherName);
        var lines = File.ReadAllLines(launcher);
        var exec = lines.Last(l => l.StartsWith("exec ", StringComparison.Ordinal));
        File.WriteAllText(launcher, "#!/bin/bash\n" +
            $"if [ ! -e \"$0.failed-once\" ]; then : > \"$0.failed-once\"; exec -a '{site.ProcessName}' sleep {seconds}; fi\n" + exec + "\n");
    }

    static async Task AssertRolledBackWithTheAppRunningAsync(PythonSite site, BuildProcess.Result result)
    {
        Assert.Contains("rolled back cleanly", result.Output);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        var census = site.PythonCensus();
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderRing));
        Assert.True(await site.IsRunningAsync());
        var pass = site.LastPass();
        Assert.Equal(site.AppPid(), pass.GetProperty("pid").GetInt32());
        Assert.Equal(site.V1.Fingerprint.Hex, pass.GetProperty("v1").GetString());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    static async Task DashboardAnswersAsync(PythonSite site)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", site.Port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new TimeoutException($"the dashboard on 127.0.0.1:{site.Port} never answered");
    }
}
