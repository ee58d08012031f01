using RoboDJ.Build.Tests.PythonReference;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 19, "secrets printed", through the built build against the Python reference app: a misspelt secret option, a
/// dashboard URL with user info and a secret in a parameters file are each refused before any target, changing
/// nothing, and no form of the secret reaches the output or a file the build wrote.
/// </summary>
public sealed class SecretsNeverPrintedAgainstPythonReferenceAppTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_misspelt_secret_option_is_refused_without_showing_its_value(bool inline)
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        // What an operator pastes by mistake: the deployment's own key.
        string[] misspelt = inline ? ["--dashbord-password=" + site.V1.Text] : ["--dashbord-password", site.V1.Text];

        var result = await RefusedRun.ExpectAsync(site, build, 2, [.. site.BuildArgs("Rotate"), .. misspelt]);

        Assert.Contains("error: Unknown parameter '--dashbord-password'", result.Output);
        Assert.Contains("Did you mean '--dashboard-password'?", result.Output);
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("variable")]
    [InlineData("file")]
    public async Task A_dashboard_url_with_user_info_is_refused_without_showing_it_wherever_it_comes_from(string source)
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        var url = $"http://admin:{Uri.EscapeDataString(site.DashboardPassword)}@127.0.0.1:{site.Port}/";
        site.WriteParametersFile(build.Root, source == "file" ? [("DashboardUrl", url)] : []);

        var result = await RefusedRun.ExpectAsync(site, build, 2, source == "flag" ? ["Rotate", "--env", "staging", "--dashboard-url", url] : ["Rotate", "--env", "staging"],
            source == "variable" ? new Dictionary<string, string> { ["ROTATION_DASHBOARD_URL"] = url } : null);

        var from = source switch { "flag" => "--dashboard-url", "variable" => "environment variable ROTATION_DASHBOARD_URL", _ => ".nuke/parameters.staging.json, $.DashboardUrl" };
        Assert.Contains($"error: Invalid value 'http://***@127.0.0.1:{site.Port}/' for {from}: a URL with user info (user:password@)", result.Output);
        Assert.DoesNotContain("admin:", result.Output);
    }

    /// <summary>
    /// A less trusted user can write .env. The URL's password here is none the build knows as a secret, so only the
    /// refusal keeps it out of the output (the deployment's DashboardPassword would be redacted whether refused or not);
    /// .NET's Uri reads http:\\u:p@ as http://u:p@, so that form is refused too.
    /// </summary>
    [Theory]
    [InlineData("http://admin:{0}@127.0.0.1:{1}")]
    [InlineData("http:\\\\admin:{0}@127.0.0.1:{1}")]
    public async Task A_dashboard_url_with_user_info_in_the_deployments_env_is_refused_naming_the_line_without_showing_it(string form)
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        var password = "url-canary-" + Guid.NewGuid().ToString("N")[..12];
        var lines = File.ReadAllLines(site.Paths.DotEnv);
        var line = Array.FindIndex(lines, l => l.StartsWith("ROBODJ_DASHBOARD_URL=", StringComparison.Ordinal));
        lines[line] = "ROBODJ_DASHBOARD_URL=" + string.Format(System.Globalization.CultureInfo.InvariantCulture, form, password, site.Port);
        File.WriteAllText(site.Paths.DotEnv, string.Join("\n", lines) + "\n");
        // No dashboard-url anywhere else: the deployment's .env is where the pipeline finds it.
        site.WriteParametersFile(build.Root);

        var result = await RefusedRun.ExpectAsync(site, build, 3, ["Rotate", "--env", "staging"], null, password);

        Assert.True(result.Output.Contains($"{site.Paths.DotEnv} line {line + 1}, ROBODJ_DASHBOARD_URL: it carries user info (user:password@)", StringComparison.Ordinal), result.Output);
        Assert.Contains("Fix: set it to http://127.0.0.1:8080/ with the app's port", result.Output);
        Assert.DoesNotContain("admin:", result.Output);
    }

    [Fact]
    public async Task A_secret_in_a_parameters_file_is_refused_even_while_DASHBOARD_PASSWORD_is_set()
    {
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        site.WriteParametersFile(build.Root, ("DashboardPassword", site.DashboardPassword));

        var result = await RefusedRun.ExpectAsync(site, build, 2, ["Rotate", "--env", "staging"],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.DashboardPassword });

        Assert.Contains("error: .nuke/parameters.staging.json, $.DashboardPassword is a secret and may only come from the environment variable DASHBOARD_PASSWORD", result.Output);
    }
}
