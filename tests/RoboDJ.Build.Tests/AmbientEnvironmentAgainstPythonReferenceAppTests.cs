using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 19, "the environment walks around the gates", through the built build against the Python reference app: an
/// operator's shell (ENV, CONFIRM, REWRAP, CI, GITHUB_ENVIRONMENT, an empty DEPLOYMENT_ROOT) neither confirms
/// production nor changes what a run does; only ROTATION_&lt;NAME&gt; binds, a confirmation comes only from the command
/// line, and the Actions approval only inside GitHub Actions.
/// </summary>
public sealed class AmbientEnvironmentAgainstPythonReferenceAppTests
{
    // The repository's parameters.production.json names the github channel and another dashboard: this deployment's instead.
    static string[] Production(PythonSite site) => [.. site.BuildArgs("Rotate"), "--announce-channels", "log", "--dashboard-url", $"http://127.0.0.1:{site.Port}/"];

    static Dictionary<string, string> Env(params (string Name, string Value)[] variables) => variables.ToDictionary(v => v.Name, v => v.Value);

    [Theory]
    [InlineData("CONFIRM", 3, "--env production needs --confirm production on the command line")]
    [InlineData("ROTATION_CONFIRM", 2, "error: The environment variable ROTATION_CONFIRM is set, but --confirm comes only from the command line")]
    public async Task A_confirmation_in_the_environment_does_not_confirm_production(string variable, int exitCode, string message)
    {
        await using var site = await PythonSite.CreateAsync(env: "production");
        using var build = new BuildProcess();

        var result = await RefusedRun.ExpectAsync(site, build, exitCode, Production(site), Env((variable, "production")));

        Assert.Contains(message, result.Output);
        Assert.Empty(Directory.Exists(site.Paths.KeyRotation) ? Directory.EnumerateFiles(site.Paths.KeyRotation, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task ENV_and_CONFIRM_with_no_target_and_no_flag_rotate_nothing()
    {
        await using var site = await PythonSite.CreateAsync(env: "production");
        using var build = new BuildProcess();
        site.WriteParametersFile(build.Root);

        var result = await RefusedRun.ExpectAsync(site, build, 2, [], Env(("ENV", "production"), ("CONFIRM", "production")));

        Assert.Contains("error: Target 'Preflight' requires Env: give --env <value> or set ROTATION_ENV.", result.Output);
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
    }

    [Fact]
    public async Task CI_and_GITHUB_ENVIRONMENT_outside_GitHub_Actions_are_no_approval()
    {
        await using var site = await PythonSite.CreateAsync(env: "production");
        using var build = new BuildProcess();

        var result = await RefusedRun.ExpectAsync(site, build, 3, Production(site), Env(("CI", "true"), ("GITHUB_ENVIRONMENT", "production")));

        Assert.Contains("needs --confirm production on the command line (or, in a GitHub Actions job, the approval of the GitHub environment production)", result.Output);
    }

    [Fact]
    public async Task Inside_GitHub_Actions_the_production_environments_approval_confirms()
    {
        await using var site = await PythonSite.CreateAsync(env: "production");
        using var build = new BuildProcess();
        var tree = TreeState.Of(site.Root);

        var result = await build.RunAsync([.. Production(site), "--dry-run"], Env(("GITHUB_ACTIONS", "true"), ("GITHUB_ENVIRONMENT", "production")));

        var withoutMasks = string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        Assert.True(result.ExitCode == 0, withoutMasks);
        Assert.Matches(@"\nAnnounce\s+Succeeded", withoutMasks);
        Canary.AssertAbsent(withoutMasks, site.Canaries, "the build's output");
        Assert.Equal(tree, TreeState.Of(site.Root));
    }

    [Fact]
    public async Task REWRAP_in_the_environment_changes_nothing_and_the_rotation_moves_every_field_under_the_new_V1()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        Assert.Equal(3, PythonSite.FieldCount - site.PythonCensus().UnderV1Alone); // three fields only V2 opens

        var result = await build.RunAsync(site.BuildArgs("Rotate"), Env(("REWRAP", "false")));

        Assert.True(result.ExitCode == 0, result.ToString());
        await site.AssertRotatedOnceAsync(result.Output);
    }

    [Fact]
    public async Task ROTATION_REWRAP_false_is_honoured_and_the_refusal_it_causes_names_that_variable()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await RefusedRun.ExpectAsync(site, build, 3, site.BuildArgs("Rotate"), Env(("ROTATION_REWRAP", "false")));

        Assert.Contains("with the rewrap off (--rewrap false, from environment variable ROTATION_REWRAP)", result.Output);
    }

    [Fact]
    public async Task An_empty_DEPLOYMENT_ROOT_variable_leaves_the_parameters_files_deployment_root_in_force()
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        site.WriteParametersFile(build.Root);

        var result = await build.RunAsync(["Rotate", "--env", "staging"], Env(("ROTATION_DEPLOYMENT_ROOT", ""), ("DEPLOYMENT_ROOT", "")));

        Assert.True(result.ExitCode == 0, result.ToString());
        await site.AssertRotatedOnceAsync(result.Output);
        Assert.False(Directory.Exists(Path.Combine(build.Root, "key_rotation")));
    }
}
