using System.Diagnostics;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 9, defect 4: the process Start launched is known from the launch, before the app wrote its pid file, so a
/// Rollback right after the launch stops it, and only the PASS line of the app it starts itself, with the restored V1, counts.
/// </summary>
public sealed class RollbackStopsTheLaunchedAppEndToEndTests
{
    static string[] Args(SandboxSite site, string target) => [target, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task SIGTERM_right_after_the_launch_stops_that_app_and_rolls_back_to_one_app_running_the_restored_V1()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("reads /proc to see the launch");
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var originalFiles = site.KeyAndConfigHashes();

        var frozen = new List<int>();
        BuildProcess.Result result;
        IReadOnlyList<int> frozenStillThere;
        try
        {
            result = await build.RunAsync(Args(site, "Rotate"), during: async process =>
            {
                // After Start's journal line, wait for the launched process and freeze it (SIGSTOP) before it can write its
                // pid file, as a slow app would be; then signal the build. Only the launch itself can name that process now.
                if (!await BuildProcess.UntilAsync(process, () => RunningApp.JournalLines(site) >= 10)) return;
                // Not the build's own short-lived detaching shell: frozen, it would hold the build's output open.
                List<int> Launched() => RunningApp.AppPids(site).Where(pid => RoboDJ.KeyRotation.Runtimes.ProcessTable.ParentOf(pid) != process.Id).ToList();
                var clock = Stopwatch.StartNew();
                while (Launched().Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(2);
                foreach (var pid in Launched()) { await Signal("-STOP", pid); frozen.Add(pid); }
                await Signal("-TERM", process.Id);
            });
            frozenStillThere = RunningApp.AppPids(site).Intersect(frozen).ToList();
        }
        finally
        {
            // A frozen process that Rollback failed to stop would outlive the test.
            foreach (var pid in frozen) await Signal("-KILL", pid);
        }

        Assert.NotEmpty(frozen);
        Assert.Empty(frozenStillThere); // Rollback stopped the app Start launched, though it had no pid file
        Assert.False(File.Exists(Path.Combine(site.Root, RoboDJ.Sandbox.SandboxLayout.PidFileName)) &&
                     frozen.Contains(int.Parse(File.ReadAllText(Path.Combine(site.Root, RoboDJ.Sandbox.SandboxLayout.PidFileName)).Trim())),
            "the frozen app wrote the pid file");
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("rolled back cleanly", result.Output);
        Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        RunningApp.AssertRunsWith(site, original.Primary!.Fingerprint);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task An_app_that_dies_during_Start_fails_Start_at_once_with_the_launcher_log_and_is_rolled_back()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var originalFiles = site.KeyAndConfigHashes();
        // The launcher crashes once (as an app that cannot read its settings would), then starts the app as before.
        var launcher = Path.Combine(site.Root, "RoboDJ_Launcher.sh");
        var exec = File.ReadLines(launcher).Last(l => l.StartsWith("exec ", StringComparison.Ordinal));
        File.WriteAllText(launcher, "#!/bin/sh\n" +
            "if [ ! -e \"$0.crashed\" ]; then : > \"$0.crashed\"; echo 'RoboDJ: simulated crash reading settings' >&2; exit 3; fi\n" + exec + "\n");

        var clock = Stopwatch.StartNew();
        var result = await build.RunAsync(Args(site, "Rotate"));

        Assert.True(result.ExitCode == 4, result.ToString());
        // Start's timeout is 60 s; failing at once keeps the whole run, rollback included, well under it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"took {clock.Elapsed.TotalSeconds:0} s\n{result}");
        Assert.Contains("exited", result.Output);
        Assert.Contains("simulated crash reading settings", result.Output);
        Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        RunningApp.AssertRunsWith(site, original.Primary!.Fingerprint);
    }

    static async Task Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString()])!;
        await kill.WaitForExitAsync();
    }
}
