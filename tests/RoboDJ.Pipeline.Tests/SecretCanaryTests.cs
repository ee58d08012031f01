using System.Security.Cryptography;
using RoboDJ.Pipeline.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests;

public class SecretCanaryTests
{
    // Shaped like a Fernet key: urlsafe base64 of 32 random bytes.
    static string NewCanary() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    static Harness WithCanary(out string canary)
    {
        canary = NewCanary();
        return new Harness().WithEnvironment("DASHBOARD_PASSWORD", canary);
    }

    [Fact]
    public void The_canary_is_absent_from_help()
    {
        using var h = WithCanary(out var canary);
        var run = h.Run<SecretBuild>("--help");
        Assert.Contains("--dashboard-password", run.Output);
        Assert.Contains("[secret: from env DASHBOARD_PASSWORD only]", run.Output);
        Canary.AssertAbsent(run.Output, [canary], "--help");
    }

    [Fact]
    public void The_canary_is_absent_from_the_plan_and_its_files()
    {
        using var h = WithCanary(out var canary);
        var run = h.Run<SecretBuild>("Fail", "--plan");
        Assert.Equal(0, run.ExitCode);
        Canary.AssertAbsent(run.Output, [canary], "--plan");
        Canary.AssertAbsentFromTree(h.Root, [canary]);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("verbose")]
    public void The_canary_is_absent_from_console_log_file_summary_and_exception_text(string verbosity)
    {
        using var h = WithCanary(out var canary);
        var run = h.Run<SecretBuild>("Fail", "--verbosity", verbosity);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Logging in with ***", run.Output);
        Assert.Contains("login refused for ***", run.Output);
        Canary.AssertAbsent(run.Output, [canary], "the console");
        Canary.AssertAbsent(string.Join("\n", run.Summary!.Targets.Select(t => t.Note)), [canary], "the summary notes");
        var logs = h.ReadAll(".nuke/temp/logs");
        Assert.Contains("Logging in with", logs);
        Canary.AssertAbsent(logs, [canary], "the CLEF log");
        Canary.AssertAbsentFromTree(h.Root, [canary]);
    }

    // A Fernet-shaped value starts with '-' one time in 64: that one must not be parsed as an option and echoed.
    [Theory]
    [InlineData("")]
    [InlineData("-")]
    public void A_secret_on_the_command_line_is_refused_without_echoing_it(string prefix)
    {
        var canary = prefix + NewCanary();
        using var h = new Harness();
        var run = h.Run<SecretBuild>("Login", "--dashboard-password", canary);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("may only come from the environment variable DASHBOARD_PASSWORD", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [canary], "the error");
    }

    // A key pasted in the wrong place is still a key: every error that echoes what was typed hides it.
    [Theory]
    [InlineData("{0}")]
    [InlineData("Show --verbosity {0}")]
    [InlineData("Show --profile {0}")]
    [InlineData("Show --env={0}")]
    [InlineData("Show --dashbord-password:{0}")]
    [InlineData("Show --channels log,{0}")]
    [InlineData("Show --dry-run={0}")]
    [InlineData("Show --plan={0}")]
    public void A_key_pasted_in_the_wrong_place_is_refused_without_echoing_it(string line)
    {
        using var h = new Harness();
        var canary = NewCanary();
        var run = h.Run<ParametersBuild>(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, canary).Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("***", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [canary, canary.TrimEnd('='), canary[..20]], "the error");
    }

    // Standard base64 (an access key, a password from a generator) carries '/' and '+'; one key in 1,500 has no digit.
    [Theory]
    [InlineData("{0}", true)]
    [InlineData("Show --verbosity {0}", true)]
    [InlineData("Show --env={0}", true)]
    [InlineData("Show --profile {0}", true)]
    [InlineData("{0}", false)]
    [InlineData("Show --verbosity {0}", false)]
    [InlineData("Show --env={0}", false)]
    public void A_standard_base64_key_or_one_without_a_digit_is_hidden_whole_as_well(string line, bool standardBase64)
    {
        using var h = new Harness();
        var canary = standardBase64 ? StandardBase64Canary() : LettersOnlyCanary();
        var run = h.Run<ParametersBuild>(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, canary).Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("***", run.ErrorLine);
        var pieces = canary.Split('/', '+', '=').Where(p => p.Length >= 8);
        Canary.AssertAbsent(run.Output, [canary, .. pieces], "the error");
    }

    // Their digits, slashes and both cases are certain, so the tests never depend on the draw.
    static string StandardBase64Canary()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return "Qz7" + key[3..12] + "/" + key[13..24] + "+" + key[25..36] + "/" + key[37..];
    }

    static string LettersOnlyCanary()
    {
        static string Drawn(string from, int count) => new(RandomNumberGenerator.GetItems<char>(from, count));
        const string upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower = "abcdefghijklmnopqrstuvwxyz";
        return Drawn(upper, 10) + Drawn(lower, 10) + Drawn(upper + lower, 23) + "=";
    }

    // A token or an unpadded key is a valid profile name (letters, digits, '-', '_'): the missing file's error names it too.
    [Fact]
    public void A_token_given_as_a_profile_is_not_echoed_by_the_missing_profile_error()
    {
        using var h = new Harness();
        var token = "ghp_" + new string(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36));
        var unpadded = NewCanary().TrimEnd('=');
        foreach (var canary in new[] { token, unpadded })
        {
            var run = h.Run<ParametersBuild>("Show", "--profile", canary);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("has no file", run.ErrorLine);
            Canary.AssertAbsent(run.Output, [canary, canary[..20]], "the error");
        }
    }

    [Fact]
    public void A_path_or_a_local_url_in_an_error_stays_readable()
    {
        using var h = new Harness();
        Assert.Contains("'/srv/robodj/config/logs/launcher.log'", h.Run<ParametersBuild>("Show", "--verbosity", "/srv/robodj/config/logs/launcher.log").ErrorLine);
        Assert.Contains("'http://127.0.0.1:8080/api/v2/status'", h.Run<ParametersBuild>("Show", "--verbosity", "http://127.0.0.1:8080/api/v2/status").ErrorLine);
    }

    [Fact]
    public void A_misspelt_target_or_value_is_still_named()
    {
        using var h = new Harness();
        Assert.Contains("Unknown target 'Logn'. Did you mean 'Login'?", h.Run<SecretBuild>("Logn").ErrorLine);
        Assert.Contains("Invalid value 'stagng' for --env. Valid values: staging, production, sandbox.", h.Run<ParametersBuild>("Show", "--env", "stagng").ErrorLine);
    }

    [Fact]
    public void A_secret_in_a_parameters_file_is_refused_without_echoing_it()
    {
        var canary = NewCanary();
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", $$"""{ "DashboardPassword": "{{canary}}" }""");
        var run = h.Run<SecretBuild>("Login");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".nuke/parameters.json, $.DashboardPassword is a secret", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [canary], "the error");
    }

    [Fact]
    public void A_missing_secret_tells_which_environment_variable_to_set()
    {
        using var h = new Harness();
        var run = h.Run<SecretBuild>("Login");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("requires DashboardPassword: set the environment variable DASHBOARD_PASSWORD", run.ErrorLine);
    }
}
