using System.Diagnostics;
using System.Text;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A hostile environment (issue 25) against the independent Python reference app: links swapped in after the snapshot,
/// a disk that fills up mid-rotation, a .env made immutable after the key write, and a signal in the middle of a long
/// read. The build (rewrap offline, so the journal lines are fixed) is paused at a journal line by the test hooks while
/// the test changes the deployment. Each case checks what is outside the deployment byte for byte (hash, mode, owner),
/// ends with the Python census (no field lost, with the recovery file's keys where the rollback could not finish, then
/// after the recovery the operator is told to run) and scans every output for the keys.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileEnvironmentAgainstPythonReferenceAppTests
{
    // Offline: 1 begin, 2-3 snapshot, 4-5 stop, 6-7 shift, 8-9 rewrap, 10-11 start, 12-13 verify.
    const int StopStarted = 4, ShiftEnded = 7, RewrapStarted = 8;

    static string[] Offline(PythonSite site, string target) => [.. site.BuildArgs(target), "--rewrap-by", "offline"];

    static Dictionary<string, string> PausedAfter(int line, string? failTarget = "Verify")
    {
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = line.ToString() };
        if (failTarget is not null) hooks["ROBODJ_TEST_FAIL_TARGET"] = failTarget;
        return hooks;
    }

    /// <summary>Runs <paramref name="act"/> while the build sits paused after its journal's line <paramref name="line"/>.</summary>
    static Func<Process, Task> AtLine(PythonSite site, int line, Action act) => async build =>
    {
        if (await BuildProcess.UntilAsync(build, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.Entries.Count >= line)) act();
    };

    static void AssertEveryFieldOpens(PythonCensus census, int fields)
    {
        Assert.Equal(fields, census.Fields);
        Assert.Empty(census.Undecryptable);
    }

    /// <summary>After the recovery the failed run named: every field back under the pre-rotation keys, the app on them, the recovery file shredded.</summary>
    static async Task AssertRecoveredAsync(PythonSite site, BuildProcess build, int fields, params string[] outputs)
    {
        var recovered = await build.RunAsync(Offline(site, "Rollback"));
        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        var census = site.PythonCensus();
        AssertEveryFieldOpens(census, fields);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.True(await site.IsRunningAsync());
        Assert.Empty(Directory.GetFiles(site.Paths.KeyRotation, "recovery-keys.env", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(site.Root, "*.tmp", SearchOption.AllDirectories));
        Canary.AssertAbsent(string.Join("\n", [.. outputs, recovered.Output]), site.Canaries, "the build's output");
    }

    /// <summary>Names the recovery file and the command; the file is 0600 and, with .env, opens every field (python-dotenv, MultiFernet).</summary>
    static string AssertRecoveryFile(PythonSite site, BuildProcess.Result failed, int fields)
    {
        var recovery = Assert.Single(Directory.GetFiles(site.Paths.KeyRotation, "recovery-keys.env", SearchOption.AllDirectories));
        Assert.Contains(recovery, failed.Output);
        Assert.Contains("./build.sh Rollback --env sandbox", failed.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(recovery));
        AssertEveryFieldOpens(PythonReferencePeer.CensusWithKeysFrom(site.Root, recovery), fields);
        Assert.DoesNotContain("--allow-undecryptable", failed.Output);
        return recovery;
    }

    [Fact]
    public async Task A_config_file_swapped_for_a_link_to_an_outside_file_after_Stop_is_never_written_or_chowned_by_Rollback()
    {
        FileAttributesAsRoot.RequireRoot();
        await using var site = await PythonSite.CreateAsync();
        using var outside = new TempDir("robodj-outside");
        var victim = outside.Combine("victim.json");
        File.WriteAllText(victim, "{ \"belongs\": \"to root\" }\n");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var settings = Path.Combine(site.Paths.Config, "settings.json");
        FileAttributesAsRoot.Chown(settings, "4242:4242");
        File.SetUnixFileMode(settings, (UnixFileMode)Convert.ToInt32("644", 8));
        var outsideBefore = TreeState.Of(outside.Path);
        using var build = new BuildProcess();

        var failed = await build.RunAsync(Offline(site, "Rotate"), PausedAfter(StopStarted), during: AtLine(site, StopStarted, () => HostileFiles.Link(settings, victim)));

        Assert.True(failed.ExitCode == 5, failed.ToString());
        TreeState.AssertUnchanged(outsideBefore, outside.Path);
        // Rotate refused the link before the shift, so .env kept its keys; the rollback refused to write through it.
        Assert.Contains($"config/settings.json is a symbolic link to {victim}, outside the deployment root", failed.Output);
        Assert.Contains($"config/settings.json is now a symbolic link to {victim}, which the snapshot did not record", failed.Output);
        Assert.Equal(site.V1, (await site.KeysAsync()).Primary);
        AssertEveryFieldOpens(site.PythonCensus(), PythonSite.FieldCount - 3);

        File.Delete(settings);
        await AssertRecoveredAsync(site, build, PythonSite.FieldCount, failed.Output);
        Assert.Equal("4242:4242", FileAttributesAsRoot.OwnerOf(settings));
        TreeState.AssertUnchanged(outsideBefore, outside.Path);
    }

    [Fact]
    public async Task A_config_folder_swapped_for_a_link_to_an_outside_folder_after_the_key_shift_gets_no_file_created_there()
    {
        await using var site = await PythonSite.CreateAsync();
        using var outside = new TempDir("robodj-outside");
        var integrations = Path.Combine(site.Paths.Config, "integrations");
        var outsideBefore = TreeState.Of(outside.Path);
        using var build = new BuildProcess();

        var failed = await build.RunAsync(Offline(site, "Rotate"), PausedAfter(ShiftEnded), during: AtLine(site, ShiftEnded, () => HostileFiles.Link(integrations, outside.Path)));

        Assert.True(failed.ExitCode == 5, failed.ToString());
        TreeState.AssertUnchanged(outsideBefore, outside.Path);
        // The rewrap (pinned to the snapshot's links) refused it, and so did the restore; the keys were shifted, so they are kept.
        Assert.Contains($"config/integrations is now a symbolic link to {outside.Path}, which the snapshot did not record", failed.Output);
        AssertRecoveryFile(site, failed, PythonSite.FieldCount - 3);

        File.Delete(integrations);
        await AssertRecoveredAsync(site, build, PythonSite.FieldCount, failed.Output);
        TreeState.AssertUnchanged(outsideBefore, outside.Path);
    }

    [Fact]
    public async Task A_disk_filled_at_rewrap_started_leaves_no_temp_file_and_every_key_in_a_named_recovery_file()
    {
        using var tmpfs = new TmpfsMount(24);
        await using var site = await PythonSite.CreateAsync(under: tmpfs.Path);
        var underV2 = PythonReferencePeer.Encrypt(site.V2.Text, Enumerable.Range(0, 751).Select(i => $"old secret {i}").ToList());
        File.WriteAllText(Path.Combine(site.Paths.Config, "big.json"), "{\"stations\": [" + string.Join(",\n", underV2.Select(t => $"{{\"token\": \"{t}\"}}")) + "]}\n");
        var fields = PythonSite.FieldCount + underV2.Count;
        var filler = Path.Combine(tmpfs.Path, "filler");
        using var build = new BuildProcess();

        var failed = await build.RunAsync(Offline(site, "Rotate"), PausedAfter(RewrapStarted, failTarget: null),
            during: AtLine(site, RewrapStarted, () => TmpfsMount.Fill(filler)));

        Assert.True(failed.ExitCode == 5, failed.ToString());
        Assert.Empty(Directory.GetFiles(site.Root, "*.tmp", SearchOption.AllDirectories));
        Assert.Contains("free on the file system of", failed.Output);
        AssertRecoveryFile(site, failed, fields);
        var newKey = (await site.KeysAsync()).Primary!;
        Canary.AssertAbsent(failed.Output, [newKey.Text], "the build's output");

        File.Delete(filler);
        await AssertRecoveredAsync(site, build, fields, failed.Output);
    }

    [Fact]
    public async Task An_env_made_immutable_after_the_key_write_is_named_with_chattr_and_its_keys_kept_never_a_data_losing_option()
    {
        await using var site = await PythonSite.CreateAsync();
        FileAttributesAsRoot.RequireChattr(site.Root);
        using var build = new BuildProcess();
        BuildProcess.Result failed;
        try
        {
            failed = await build.RunAsync(Offline(site, "Rotate"), PausedAfter(ShiftEnded), during: AtLine(site, ShiftEnded, () => FileAttributesAsRoot.Chattr(site.Paths.DotEnv, "+i")));

            Assert.True(failed.ExitCode == 5, failed.ToString());
            Assert.Contains($"chattr -i {site.Paths.DotEnv}", failed.Output);
            AssertRecoveryFile(site, failed, PythonSite.FieldCount);
            Canary.AssertAbsent(failed.Output, [(await site.KeysAsync()).Primary!.Text], "the build's output");
        }
        finally { FileAttributesAsRoot.Chattr(site.Paths.DotEnv, "-i"); }

        await AssertRecoveredAsync(site, build, PythonSite.FieldCount, failed.Output);
    }

    [Fact]
    public async Task A_SIGTERM_while_Preflight_reads_a_big_config_stops_the_build_within_2_seconds()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("SIGTERM is POSIX");
        await using var site = await PythonSite.CreateAsync();
        var token = PythonReferencePeer.Encrypt(site.V1.Text, ["one of many"])[0];
        var big = Path.Combine(site.Paths.Config, "big.json");
        using (var writer = new StreamWriter(big, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("{\"fields\": [");
            for (var i = 0; i < 1_500_000; i++) writer.Write(i == 0 ? $"\"enc:{token}\"" : $",\n\"enc:{token}\"");
            writer.Write("]}\n");
        }
        var before = TreeState.Of(site.Root, PythonSite.LauncherLog);
        using var build = new BuildProcess();
        TimeSpan? stopped = null;

        var result = await build.RunAsync(site.BuildArgs("Rotate"), during: async process =>
        {
            // The census has the file open once Preflight's writability check (which reads to its first field) is done.
            if (!await BuildProcess.UntilAsync(process, () => HoldsOpen(process.Id, big))) return;
            await Task.Delay(1000);
            var watch = Stopwatch.StartNew();
            RoboDJ.KeyRotation.Runtimes.UnixSignal.Send(process.Id, RoboDJ.KeyRotation.Runtimes.UnixSignal.SigTerm);
            await process.WaitForExitAsync();
            stopped = watch.Elapsed;
        });

        Assert.NotNull(stopped);
        Assert.True(stopped < TimeSpan.FromSeconds(2), $"the build took {stopped} to stop after SIGTERM:\n{result}");
        Assert.NotEqual(0, result.ExitCode);
        TreeState.AssertUnchanged(before, site.Root, PythonSite.LauncherLog);
        File.Delete(big);
        AssertEveryFieldOpens(site.PythonCensus(), PythonSite.FieldCount);
        Assert.True(await site.IsRunningAsync());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    static bool HoldsOpen(int pid, string file)
    {
        try { return Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
