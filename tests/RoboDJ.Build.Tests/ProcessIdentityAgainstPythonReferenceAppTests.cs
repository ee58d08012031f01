using System.Diagnostics;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issues 21, 25 and 19: the desktop runtime stops only this deployment's app, never a process because of its name or
/// of a pid file someone rewrote. The build runs as a process against the Python reference app; each case ends with
/// python-dotenv's and MultiFernet's census and a scan of the output for the keys.
/// </summary>
public sealed class ProcessIdentityAgainstPythonReferenceAppTests
{
    [Fact]
    public async Task A_stranger_carrying_the_apps_name_in_another_folder_survives_a_rotation_that_restarts_the_app()
    {
        await using var site = await PythonSite.CreateAsync();
        using var elsewhere = new TempDir("robodj-stranger");
        using var build = new BuildProcess();
        using var stranger = StartStranger(elsewhere.Path, site.ProcessName);
        try
        {
            var appBefore = site.AppPid();

            var result = await build.RunAsync(site.BuildArgs("Rotate"));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.False(stranger.HasExited, $"the stranger named '{site.ProcessName}' in {elsewhere.Path} (pid {stranger.Id}) was stopped:\n{result}");
            Assert.DoesNotContain($"pid {stranger.Id}", result.Output);
            Assert.Null(ProcessTable.Get(appBefore));
            var keys = await site.KeysAsync();
            Assert.Equal(site.V1, keys.Secondary);
            var census = site.PythonCensus();
            Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
            Assert.Equal(PythonSite.FieldCount, census.UnderV1Alone);
            Assert.True(await site.IsRunningAsync());
            Assert.Equal(site.AppPid(), site.LastPass().GetProperty("pid").GetInt32());
            Canary.AssertAbsent(result.Output, site.Canaries.Append(keys.Primary.Text), "the build's output");
        }
        finally { stranger.Kill(); }
    }

    [Fact]
    public async Task A_pid_file_rewritten_to_name_an_unrelated_process_is_refused_naming_the_pid_and_nothing_changes()
    {
        await using var site = await PythonSite.CreateAsync();
        using var elsewhere = new TempDir("robodj-unrelated");
        using var build = new BuildProcess();
        var app = site.AppPid();
        var before = site.KeyAndConfigHashes();
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "600") { WorkingDirectory = elsewhere.Path })!;
        try
        {
            // Written after the process started, so it passes the pid file's freshness check as the app's own would.
            File.WriteAllText(Path.Combine(site.Root, PythonSite.PidFileName), $"{unrelated.Id}\n");

            var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--dashboard-url", "none"]);

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains($"names pid {unrelated.Id} (sleep), which is not this deployment's app", result.Output);
            Assert.Contains("none of its origins lies in", result.Output);
            Assert.DoesNotContain("completed", result.Output);
            Assert.False(unrelated.HasExited, $"the unrelated process (pid {unrelated.Id}) was stopped:\n{result}");
            Assert.NotNull(ProcessTable.Get(app));
            Assert.Equal(before, site.KeyAndConfigHashes());
            Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
            var census = site.PythonCensus();
            Assert.Equal(site.V1.Fingerprint.Hex, census.V1);
            Assert.Equal(PythonSite.FieldCount, census.UnderRing);
            Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
        }
        finally { unrelated.Kill(); }
    }

    /// <summary>`exec -a NAME sleep 600` in <paramref name="folder"/>: a process that carries the app's name and nothing else of it.</summary>
    static Process StartStranger(string folder, string name)
    {
        var info = new ProcessStartInfo("/bin/bash") { WorkingDirectory = folder };
        foreach (var a in new[] { "-c", "exec -a \"$0\" sleep 600", name }) info.ArgumentList.Add(a);
        var stranger = Process.Start(info)!;
        var clock = Stopwatch.StartNew();
        while (!File.ReadAllText($"/proc/{stranger.Id}/cmdline").StartsWith(name + "\0", StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"the stranger never took the name {name}");
            Thread.Sleep(20);
        }
        return stranger;
    }
}
