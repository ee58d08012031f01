using RoboDJ.Build.Tests.PythonReference;
using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 9 against the sandbox, the build as a process: one scope for census, rewrap, snapshot and restore (a field in
/// config/logs/ survives a rollback), owners and symlinks kept by every write, and Preflight refusing a file it cannot write.
/// </summary>
public sealed class FaithfulRotationEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task A_field_in_config_logs_opens_after_a_rollback_from_a_failed_Verify()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var appState = Path.Combine(site.Paths.Config, "logs", "app_state.json");
        var token = FernetToken.Encrypt(site.Deployment.V1, Encoding.UTF8.GetBytes("stream key"), DateTimeOffset.UtcNow);
        File.WriteAllText(appState, $"{{\"cached\":{{\"stream_key\":\"{token}\"}}}}\n");
        var before = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Empty(before.Undecryptable);
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" };

        var result = await build.RunAsync(Args(site, "Rotate"), hooks);

        Assert.True(result.ExitCode == 4, result.ToString());
        var after = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.True(after.Undecryptable.Count == 0, $"fields lost after the rollback: {string.Join(", ", after.Undecryptable)}");
        Assert.Equal(before.UnderRing, after.UnderRing);
        Assert.Equal(1, after.UnderRingByFile["config/logs/app_state.json"]);
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task A_rotation_keeps_the_owner_and_group_of_env_and_of_a_config_file()
    {
        FileAttributesAsRoot.RequireRoot();
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var settings = Path.Combine(site.Paths.Config, "settings.json");
        FileAttributesAsRoot.Chown(site.Paths.DotEnv, "65534:65534");
        FileAttributesAsRoot.Chown(settings, "65534:65534");
        var rewrapped = (await site.CensusAsync()).Examples.Any(f => f.File == "settings.json");
        Assert.True(rewrapped, "the sandbox's settings.json holds no field, so the rotation would not rewrite it");
        var original = await site.KeysAsync();

        var result = await build.RunAsync(Args(site, "Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEqual(original.Primary, (await site.KeysAsync()).Primary);
        Assert.Equal("65534:65534", FileAttributesAsRoot.OwnerOf(site.Paths.DotEnv));
        Assert.Equal("65534:65534", FileAttributesAsRoot.OwnerOf(settings));
    }

    [Fact]
    public async Task A_symlinked_env_outside_the_root_is_followed_only_when_allowed_by_name_stays_a_link_and_its_target_holds_the_new_keys()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("symlinks need privileges on Windows");
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var secrets = Path.Combine(Path.GetDirectoryName(site.Root)!, "secrets");
        Directory.CreateDirectory(secrets);
        var target = Path.Combine(secrets, "robodj.env");
        File.Move(site.Paths.DotEnv, target);
        File.CreateSymbolicLink(site.Paths.DotEnv, target);
        var original = await site.KeysAsync();
        var before = File.ReadAllBytes(target);

        var refused = await build.RunAsync(Args(site, "Rotate"));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains($".env is a symbolic link to {target}, outside the deployment root", refused.Output);
        Assert.Contains($"--allow-link-targets {target}", refused.Output);
        Assert.Equal(before, File.ReadAllBytes(target));
        Assert.False(Directory.Exists(site.Paths.KeyRotation), "a refusal opens no journal");

        var result = await build.RunAsync(Args(site, "Rotate", "--allow-link-targets", secrets));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(target, new FileInfo(site.Paths.DotEnv).LinkTarget);
        var rotated = await site.KeysAsync();
        Assert.NotEqual(original.Primary, rotated.Primary);
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Equal(rotated.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(original.Primary!.Fingerprint.Hex, census.V2);
        Assert.Empty(census.Undecryptable);
    }

    [Fact]
    public async Task Preflight_refuses_an_immutable_config_file_with_exit_3_and_changes_nothing()
    {
        await using var site = await SandboxSite.CreateAsync();
        FileAttributesAsRoot.RequireChattr(site.Paths.Config);
        using var build = new BuildProcess();
        var file = (await site.CensusAsync()).Examples.First().File;
        var stuck = Path.Combine(site.Paths.Config, file);
        var before = site.Hashes();
        FileAttributesAsRoot.Chattr(stuck, "+i");
        try
        {
            var result = await build.RunAsync(Args(site, "Rotate"));

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains(stuck, result.Output);
            Assert.Contains($"chattr -i {stuck}", result.Output);
            Assert.Equal(before, site.Hashes());
            Assert.True(await site.IsRunningAsync());
        }
        finally { FileAttributesAsRoot.Chattr(stuck, "-i"); }
    }
}
