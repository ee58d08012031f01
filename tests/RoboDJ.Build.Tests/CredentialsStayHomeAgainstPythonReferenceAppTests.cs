using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 25, "credentials sent where they do not belong", against the Python reference app: no HTTP redirect is followed
/// and no answer is read past its limit; every child process gets an allow-listed environment; and whatever umask the
/// build is started with, what it creates is its user's alone. The operator's shell here exports everything it should
/// not hand on: the GitHub token, the dashboard password, the webhook URL and both keys.
/// </summary>
public sealed class CredentialsStayHomeAgainstPythonReferenceAppTests
{
    const string Token = "ghp_canaryTokenThatMustStayInTheBuild0123456";
    const string Webhook = "https://hooks.example.invalid/services/T0/B0/canaryWebhookSecret";

    static Dictionary<string, string> LeakyShell(PythonSite site) => new()
    {
        ["GITHUB_TOKEN"] = Token,
        ["DASHBOARD_PASSWORD"] = site.DashboardPassword,
        ["WEBHOOK_URL"] = Webhook,
        ["ROBODJ_SECRET_KEY"] = site.V1.Text,
        ["ROBODJ_SECRET_V2_KEY"] = site.V2.Text,
    };

    static readonly string[] OurSecrets = ["GITHUB_TOKEN", "DASHBOARD_PASSWORD", "WEBHOOK_URL"];

    [Fact]
    public async Task The_app_a_rotation_launches_gets_no_token_no_password_no_webhook_and_no_key_in_its_environment()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("reads /proc/<pid>/environ");
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"), LeakyShell(site));

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = await site.KeysAsync();
        var environ = File.ReadAllText($"/proc/{site.AppPid()}/environ");
        var names = environ.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=', 2)[0]).ToList();
        Assert.Contains("PATH", names);
        Assert.DoesNotContain(names, n => OurSecrets.Contains(n) || n.StartsWith("ROBODJ_", StringComparison.Ordinal));
        Canary.AssertAbsent(environ, [Token, Webhook, .. site.Canaries, keys.Primary!.Text], $"the environment of the app (pid {site.AppPid()})");
        var census = site.PythonCensus();
        Assert.Equal((keys.Primary.Fingerprint.Hex, PythonSite.FieldCount), (census.V1, census.UnderV1Alone));
        Assert.Equal(keys.Primary.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
        Canary.AssertAbsent(result.Output, [Token, Webhook, .. site.Canaries, keys.Primary.Text], "the build's output");
    }

    [Fact]
    public async Task The_apps_snapshot_script_gets_none_of_the_keys_even_when_the_shell_exports_them()
    {
        await using var site = await PythonSite.CreateAsync();
        using var seen = new TempDir("snapshot-script-env");
        var record = seen.Combine("environment.json");
        // The script records its variables' names and the SHA-256 of their values, never a value.
        Directory.CreateDirectory(Path.Combine(site.Paths.Config, "scripts"));
        File.WriteAllText(Path.Combine(site.Paths.Config, "scripts", "startup_safety.py"),
            "import hashlib, json, os, sys\n" +
            "if '--snapshot' in sys.argv:\n" +
            $"    with open({JsonSerializer.Serialize(record)}, 'w') as f:\n" +
            "        json.dump({k: hashlib.sha256(v.encode()).hexdigest() for k, v in os.environ.items()}, f)\n");
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"), LeakyShell(site));

        Assert.True(result.ExitCode == 0, result.ToString());
        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(record))!;
        Assert.Contains("PATH", environment.Keys);
        Assert.DoesNotContain(environment.Keys, n => OurSecrets.Contains(n) || n.StartsWith("ROBODJ_", StringComparison.Ordinal));
        foreach (var secret in new[] { site.V1.Text, site.V2.Text, site.DashboardPassword, Token, Webhook })
            Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), environment.Values);
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
        Canary.AssertAbsent(result.Output, [Token, Webhook, .. site.Canaries], "the build's output");
    }

    [Fact]
    public async Task Under_umask_000_every_file_and_folder_the_build_creates_is_its_users_alone()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("umask is Unix's");
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        using var actions = new TempDir("job-summary");
        var summary = actions.Combine("step_summary.md");
        var before = TreeState.Of(site.Root).Keys;
        // A rollback, so the postmortem's config/incidents/ is created too; under Actions, so the job summary is.
        var environment = new Dictionary<string, string>
        {
            ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify",
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["DASHBOARD_PASSWORD"] = site.DashboardPassword,
        };

        var result = await build.RunAsync(site.BuildArgs("Rotate"), environment, umask: "000");

        Assert.True(result.ExitCode == 4, result.ToString());
        // What the app writes (its logs, its pid file) is the app's business: it gets the umask the build was given.
        var created = TreeState.Of(site.Root).Keys.Except(before)
            .Where(p => !p.StartsWith("config/logs/", StringComparison.Ordinal) && p != PythonSite.PidFileName)
            .Select(p => Path.Combine(site.Root, p))
            .Concat(Directory.EnumerateFileSystemEntries(Path.Combine(build.Root, ".nuke", "temp"), "*", SearchOption.AllDirectories))
            .Append(Path.Combine(build.Root, ".nuke", "temp"))
            .Append(summary)
            .ToList();
        Assert.Contains(created, p => p.EndsWith(".clef", StringComparison.Ordinal));
        Assert.Contains(created, p => p.EndsWith($"{Path.DirectorySeparatorChar}incidents", StringComparison.Ordinal));
        Assert.Contains(created, p => p.EndsWith($"{Path.DirectorySeparatorChar}key_rotation", StringComparison.Ordinal));
        const UnixFileMode groupOrWorld = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                          | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var open = created.Where(p => (ModeOf(p) & groupOrWorld) != 0).Select(p => $"{p} ({Convert.ToString((int)ModeOf(p), 8)})").ToList();
        Assert.True(open.Count == 0, "group or world can reach: " + string.Join(", ", open));
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderRing);
        // Under Actions the ::add-mask:: lines name each secret so that the runner hides it: the only place one may appear.
        var shown = string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        Canary.AssertAbsent(shown + File.ReadAllText(summary), site.Canaries, "the build's output and job summary");
    }

    static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path);

    [Fact]
    public async Task A_dashboard_that_answers_login_with_a_307_to_another_port_never_gets_the_password_sent_there()
    {
        await using var site = await PythonSite.CreateAsync();
        await using var elsewhere = HostileDashboard.Recording();
        await using var redirecting = HostileDashboard.Redirecting(elsewhere.Url);
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Verify"), "--dashboard-url", redirecting.Url.ToString()],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.DashboardPassword });

        Assert.Empty(elsewhere.Received);
        Assert.Single(redirecting.Received);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("answered 307", result.Output);
        Assert.Contains("redirects are never followed", result.Output);
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task A_dashboard_whose_login_answer_never_ends_is_read_up_to_the_limit_and_refused_naming_it()
    {
        await using var site = await PythonSite.CreateAsync();
        await using var endless = HostileDashboard.Endless();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Verify"), "--dashboard-url", endless.Url.ToString(), "--verify-timeout", "60"],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.DashboardPassword });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("with more than 4 MiB; an answer is read up to that limit and no further", result.Output);
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderRing);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task A_webhook_that_answers_with_a_redirect_is_not_followed_and_the_rotation_goes_on()
    {
        await using var site = await PythonSite.CreateAsync();
        await using var elsewhere = HostileDashboard.Recording();
        await using var redirecting = HostileDashboard.Redirecting(elsewhere.Url);
        var webhook = new Uri(redirecting.Url, "services/T0/B0/canaryWebhookSecret").ToString();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--announce-channels", "log", "webhook"],
            new Dictionary<string, string> { ["WEBHOOK_URL"] = webhook, ["DASHBOARD_PASSWORD"] = site.DashboardPassword });

        Assert.Empty(elsewhere.Received);
        Assert.NotEmpty(redirecting.Received);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("redirects are never followed", result.Output);
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
        Canary.AssertAbsent(result.Output, [webhook, .. site.Canaries], "the build's output");
    }
}
