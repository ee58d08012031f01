using System.Text;
using RoboDJ.Build.Tests.Fleet;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Files that are not what they seem (issue 19), against the independent Python reference app running on its keys:
/// each is refused by Preflight with the file, the line (and column) and the fix, never hangs, changes nothing (every
/// entry's hash, mode and owner, nothing created), leaves the same app process running, prints no key, and once the
/// file is put back the Python census finds every field under the keys it had.
/// </summary>
public sealed class HostileInputFilesAgainstPythonReferenceAppTests
{
    /// <summary>Far more than a refusal takes; the old code hung on a FIFO and on 800,000 lines.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    static async Task<BuildProcess.Result> RefusedAsync(PythonSite site, Action spoil, Action putBack, int exit, params string[] expected)
    {
        var pid = site.AppPid();
        spoil();
        // The app's own stdout may still be landing in its launcher log as the test starts: that file is the app's, not ours.
        var before = TreeState.Of(site.Root, PythonSite.LauncherLog);
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"), timeout: Patience);

        Assert.True(result.ExitCode == exit, result.ToString());
        foreach (var text in expected) Assert.Contains(text, result.Output);
        Assert.Contains("Fix:", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        TreeState.AssertUnchanged(before, site.Root, PythonSite.LauncherLog);
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(pid, site.AppPid());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
        putBack();
        AssertNoFieldLost(site);
        return result;
    }

    static void AssertNoFieldLost(PythonSite site)
    {
        var census = site.PythonCensus();
        Assert.Equal((PythonSite.FieldCount, PythonSite.FieldCount), (census.Fields, census.UnderRing));
        Assert.Empty(census.Undecryptable);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
    }

    /// <summary>Runs <paramref name="change"/> on the file and returns what puts the original back.</summary>
    static Action Keep(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return () =>
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
            else File.Delete(path);
            File.WriteAllBytes(path, bytes);
        };
    }

    static string EnvLines(PythonSite site, Func<List<string>, IEnumerable<string>> edit) =>
        string.Join("\n", edit(File.ReadAllText(site.Paths.DotEnv).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').ToList())) + "\n";

    [Fact]
    public async Task A_BOM_before_the_V1_line_is_refused_before_any_change_because_the_app_would_not_see_the_key()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () =>
        {
            var text = EnvLines(site, lines => lines.Where(l => l.StartsWith(PythonSite.V1Line)).Concat(lines.Where(l => !l.StartsWith(PythonSite.V1Line))));
            File.WriteAllBytes(site.Paths.DotEnv, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]);
        }, putBack, 3, $"{site.Paths.DotEnv}:1: the file starts with a UTF-8 byte-order mark", "the app does not see ROBODJ_SECRET_KEY", "without a BOM");
    }

    [Fact]
    public async Task A_fifo_as_env_is_refused_at_once_as_a_named_pipe()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () => HostileFiles.Fifo(site.Paths.DotEnv), putBack, 3, $"{site.Paths.DotEnv} is a named pipe (FIFO)");
    }

    /// <summary>Verify waited on a FIFO planted as the app's startup log until SIGTERM, then the rollback failed: now Preflight refuses it.</summary>
    [Fact]
    public async Task A_fifo_as_the_startup_log_is_refused_at_Preflight_before_the_app_is_stopped()
    {
        await using var site = await PythonSite.CreateAsync();
        var log = site.Paths.StartupLog;
        var putBack = Keep(log);
        await RefusedAsync(site, () => { File.Delete(log); HostileFiles.Fifo(log); }, putBack, 3,
            $"the app's startup log {log} is a named pipe (FIFO)", "so Verify could not read the key check");
    }

    [Fact]
    public async Task A_fifo_named_json_under_config_is_refused_at_once_as_a_named_pipe()
    {
        await using var site = await PythonSite.CreateAsync();
        var pipe = Path.Combine(site.Paths.Config, "integrations", "pipe.json");
        await RefusedAsync(site, () => HostileFiles.Fifo(pipe), () => File.Delete(pipe), 3, "config/integrations/pipe.json is a named pipe (FIFO)");
    }

    [Fact]
    public async Task An_800000_line_env_is_refused_at_once_over_its_size_limit()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () =>
        {
            using var writer = File.AppendText(site.Paths.DotEnv);
            for (var i = 0; i < 800_000; i++) writer.Write($"ROBODJ_FILLER_{i}=x\n");
        }, putBack, 3, $"{site.Paths.DotEnv} is ", "bytes, over the limit of 1,048,576 bytes");
    }

    /// <summary>
    /// The pid file is the app's, in the deployment: a FIFO or a link to /dev/zero there is no pid, never a wait. Preflight
    /// used to block on the FIFO for good (SIGTERM unheeded); the app is still found as this deployment's by its command line.
    /// </summary>
    [Theory]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    public async Task A_pid_file_that_is_a_fifo_or_a_device_names_no_pid_and_the_rotation_goes_through(string spoil)
    {
        await using var site = await PythonSite.CreateAsync();
        var pidFile = Path.Combine(site.Root, PythonSite.PidFileName);
        if (spoil == "fifo") HostileFiles.Fifo(pidFile); else HostileFiles.Link(pidFile, spoil);
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"), timeout: Patience);

        Assert.True(result.ExitCode == 0, result.ToString());
        await site.AssertRotatedOnceAsync(result.Output);
        Assert.Equal(FileKind.Regular, FileStatus.Of(pidFile).Kind);
    }

    [Fact]
    public async Task An_env_linked_to_dev_zero_is_refused_as_a_device_naming_the_links_target()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () => HostileFiles.Link(site.Paths.DotEnv, "/dev/zero"), putBack, 3,
            $"{site.Paths.DotEnv} (a symbolic link to /dev/zero) is a character device");
    }

    [Fact]
    public async Task An_env_that_is_a_folder_or_a_dangling_link_is_named_as_what_it_is()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () => { File.Delete(site.Paths.DotEnv); Directory.CreateDirectory(site.Paths.DotEnv); }, putBack, 3,
            $"{site.Paths.DotEnv} is a folder, not a file");
        var missing = Path.Combine(site.Root, "moved-away.env");
        await RefusedAsync(site, () => HostileFiles.Link(site.Paths.DotEnv, missing), putBack, 3,
            $"{site.Paths.DotEnv} is a symbolic link to {missing}, which does not exist (a dangling link)");
    }

    [Fact]
    public async Task A_config_that_is_a_file_is_named_as_a_file_not_as_missing()
    {
        await using var site = await PythonSite.CreateAsync();
        var moved = site.Paths.Config + ".real";
        await RefusedAsync(site, () => { Directory.Move(site.Paths.Config, moved); File.WriteAllText(site.Paths.Config, "not a folder\n"); },
            () => { File.Delete(site.Paths.Config); Directory.Move(moved, site.Paths.Config); }, 3,
            $"{site.Paths.Config} is a regular file: the config folder must be a folder");
    }

    [Fact]
    public async Task Invalid_utf8_on_env_line_5_is_reported_at_line_5_and_its_column()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () =>
        {
            var lines = EnvLines(site, l => l.Take(4));
            var rest = EnvLines(site, l => l.Skip(4));
            File.WriteAllBytes(site.Paths.DotEnv, [.. Encoding.UTF8.GetBytes(lines), .. "# caf"u8, 0xE9, .. "\n"u8, .. Encoding.UTF8.GetBytes(rest)]);
        }, putBack, 3, $"{site.Paths.DotEnv}:5: column 6: a byte that is not UTF-8");
    }

    [Fact]
    public async Task An_unterminated_quote_on_env_line_4_is_named_at_line_4_as_why_V1_on_line_5_is_not_read()
    {
        await using var site = await PythonSite.CreateAsync();
        var putBack = Keep(site.Paths.DotEnv);
        await RefusedAsync(site, () => File.WriteAllText(site.Paths.DotEnv, EnvLines(site, lines =>
        [
            lines[0], lines[1], lines.Single(l => l.StartsWith("ROBODJ_DASHBOARD_URL=")), "ROBODJ_STATION_NAME=\"Night shift",
            lines.Single(l => l.StartsWith(PythonSite.V1Line)), lines.Single(l => l.StartsWith(PythonSite.V2Line)).TrimEnd('\r'),
            lines.Single(l => l.StartsWith("ROBODJ_DASHBOARD_PASSWORD=")),
        ])), putBack, 3, $"{site.Paths.DotEnv}:4: ROBODJ_SECRET_KEY on line 5 is not read: the statement that starts on line 4");
    }

    [Fact]
    public async Task A_config_string_with_an_invalid_utf8_byte_is_refused_at_Preflight_naming_its_line_and_column()
    {
        await using var site = await PythonSite.CreateAsync();
        var settings = Path.Combine(site.Paths.Config, "settings.json");
        var putBack = Keep(settings);
        await RefusedAsync(site, () =>
        {
            var text = File.ReadAllBytes(settings);
            var at = text.AsSpan().IndexOf("RoboDJ reference"u8) + "RoboDJ r".Length;
            File.WriteAllBytes(settings, [.. text[..at], 0xE9, .. text[(at + 1)..]]);
        }, putBack, 3, "settings.json:2: column 23: a byte that is not UTF-8", "the app's Python cannot read");
        Assert.False(Directory.Exists(site.Paths.KeyRotation), "a refusal leaves no journal and no snapshot");
    }

    [Theory]
    [InlineData("loop", ".", "config/loop is a link to", "(a link loop)")]
    [InlineData("loop", "..", "config/loop is a link to", "(a link loop)")]
    [InlineData("backups", "../key_rotation", "config/backups is a symbolic link to", "inside the pipeline's own folders")]
    public async Task A_folder_link_that_would_loop_or_reach_key_rotation_is_refused_at_Preflight_with_its_path(string name, string target, string named, string why)
    {
        await using var site = await PythonSite.CreateAsync();
        Directory.CreateDirectory(site.Paths.KeyRotation);
        var link = Path.Combine(site.Paths.Config, name);
        await RefusedAsync(site, () => HostileFiles.Link(link, target), () => File.Delete(link), 3, named, why);
    }

    [Fact]
    public async Task A_symlink_loop_is_refused_with_its_path_and_the_fix()
    {
        await using var site = await PythonSite.CreateAsync();
        var (a, b) = (Path.Combine(site.Paths.Config, "a.json"), Path.Combine(site.Paths.Config, "b.json"));
        await RefusedAsync(site, () => { HostileFiles.Link(a, "b.json"); HostileFiles.Link(b, "a.json"); }, () => { File.Delete(a); File.Delete(b); }, 3,
            "config/a.json is a symbolic link that never reaches a file (a link loop)", "Fix: remove the loop");
    }

    [Fact]
    public async Task Valid_json_70_levels_deep_is_accepted_and_its_field_rotated()
    {
        await using var site = await PythonSite.CreateAsync();
        var token = PythonReferencePeer.Encrypt(site.V1.Text, ["deep inside"])[0];
        File.WriteAllText(Path.Combine(site.Paths.Config, "deep.json"), "{\"a\":" + new string('[', 69) + $"\"enc:{token}\"" + new string(']', 69) + "}\n");
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = await site.KeysAsync();
        var census = site.PythonCensus();
        Assert.Equal((PythonSite.FieldCount + 1, PythonSite.FieldCount + 1), (census.Fields, census.UnderV1Alone));
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Canary.AssertAbsent(result.Output, [.. site.Canaries, keys.Primary.Text], "the build's output");
    }

    [Fact]
    public async Task A_fleet_file_with_broken_yaml_is_bad_input_naming_the_file_and_the_line()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 1);
        File.WriteAllText(site.FleetFilePath, "hosts:\n- name: a\n- : b\n");
        var before = TreeState.Of(Path.GetDirectoryName(site.FleetFilePath)!);
        using var build = new BuildProcess();

        var result = await build.RunAsync(["RotateFleet", "--env", "sandbox", "--deployment-root", site.SharedRoot, "--fleet", site.FleetFilePath],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.Password });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{site.FleetFilePath}:3: not valid YAML", result.Output);
        Assert.DoesNotContain("Operation is not valid", result.Output);
        TreeState.AssertUnchanged(before, Path.GetDirectoryName(site.FleetFilePath)!);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task A_loop_in_the_fleets_shared_config_tree_is_refused_before_any_host_is_touched()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 1);
        var link = Path.Combine(site.SharedRoot, "config", "loop");
        HostileFiles.Link(link, "..");
        var before = TreeState.Of(Path.GetDirectoryName(site.FleetFilePath)!);
        using var build = new BuildProcess();

        var result = await build.RunAsync(["RotateFleet", "--env", "sandbox", "--deployment-root", site.SharedRoot, "--fleet", site.FleetFilePath],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.Password }, Patience);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("config/loop is a link to", result.Output);
        TreeState.AssertUnchanged(before, Path.GetDirectoryName(site.FleetFilePath)!);
        File.Delete(link);
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal((2, 2, site.V1.Fingerprint.Hex), (census.Fields, census.UnderRing, census.V1));
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("loop")]
    public async Task On_compose_a_fifo_env_and_a_config_loop_are_refused_the_same_way(string spoil)
    {
        await using var site = await PythonSite.CreateAsync(runtime: PythonSiteRuntime.Docker);
        var putBack = Keep(site.Paths.DotEnv);
        var link = Path.Combine(site.Paths.Config, "loop");
        if (spoil == "fifo") await RefusedAsync(site, () => HostileFiles.Fifo(site.Paths.DotEnv), putBack, 3, $"{site.Paths.DotEnv} is a named pipe (FIFO)");
        else await RefusedAsync(site, () => HostileFiles.Link(link, "."), () => File.Delete(link), 3, "config/loop is a link to", "(a link loop)");
    }
}
