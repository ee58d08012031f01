using RoboDJ.Build.Tests.PythonReference;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 19's bad values, through the built build against the Python reference app: each is refused before any target
/// with our message (what a valid value looks like, where the bad one came from) and changes nothing, or, for a valid
/// value in another case, binds as declared everywhere, the profile file included.
/// </summary>
public sealed class BadValuesAgainstPythonReferenceAppTests
{
    [Fact]
    public async Task A_dashboard_url_that_is_not_a_url_gets_our_message_not_dotnets()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await RefusedRun.ExpectAsync(site, build, 2, [.. site.BuildArgs("Rotate"), "--dashboard-url", "not-a-url"]);

        Assert.Contains("error: Invalid value 'not-a-url' for --dashboard-url: it is not an http:// URL. " +
                        "Give the dashboard as http://127.0.0.1:8080/ (127.0.0.1 only), or none to turn the dashboard checks off.", result.Output);
        Assert.DoesNotContain("Invalid URI", result.Output);
    }

    [Fact]
    public async Task An_unknown_announcement_channel_is_bad_input_naming_the_valid_ones_and_nothing_rotates()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await RefusedRun.ExpectAsync(site, build, 2, [.. site.BuildArgs("Rotate"), "--announce-channels", "log", "carrier-pigeon"]);

        Assert.Contains("error: Invalid value 'carrier-pigeon' for --announce-channels. Valid values: log, github, webhook.", result.Output);
    }

    [Fact]
    public async Task An_env_in_another_case_is_that_env_and_loads_its_parameters_file()
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        site.WriteParametersFile(build.Root);

        var result = await build.RunAsync(["--root", build.Root, "Rotate", "--env", "Staging"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        await site.AssertRotatedOnceAsync(result.Output);
    }

    [Fact]
    public async Task A_root_that_does_not_exist_is_refused_and_not_created()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var missing = Path.Combine(build.Root, "no-such-repository");

        var result = await RefusedRun.ExpectAsync(site, build, 2, [.. site.BuildArgs("Rotate"), "--root", missing]);

        Assert.Contains($"error: --root {missing}: the folder does not exist.", result.Output);
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("variable")]
    [InlineData("file")]
    public async Task A_deployment_root_that_does_not_exist_is_refused_naming_where_it_came_from_and_not_created(string source)
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        var missing = site.Root + "-moved";
        site.WriteParametersFile(build.Root, source == "file" ? [("DeploymentRoot", missing)] : []);

        var result = await RefusedRun.ExpectAsync(site, build, 2, source == "flag" ? ["Rotate", "--env", "staging", "--deployment-root", missing] : ["Rotate", "--env", "staging"],
            source == "variable" ? new Dictionary<string, string> { ["ROTATION_DEPLOYMENT_ROOT"] = missing } : null);

        var from = source switch { "flag" => "--deployment-root", "variable" => "environment variable ROTATION_DEPLOYMENT_ROOT", _ => ".nuke/parameters.staging.json, $.DeploymentRoot" };
        Assert.Contains($"error: the deployment folder {missing} does not exist (the deployment root comes from {from}).", result.Output);
        Assert.Contains("Nothing was created.", result.Output);
        Assert.False(Directory.Exists(missing));
    }
}
