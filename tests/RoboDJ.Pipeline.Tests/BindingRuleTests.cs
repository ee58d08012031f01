using System.Security.Cryptography;
using RoboDJ.Pipeline.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests;

/// <summary>
/// The one binding rule (issue 19): a variable counts only as ROTATION_&lt;NAME&gt; or a secret's own name, an empty
/// value is unset in the environment and in a file and an error on the command line, a confirmation comes only from the
/// command line, a secret only from its variable, and every error about a value names where it came from.
/// </summary>
public class BindingRuleTests
{
    static string NewCanary() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    static ParametersBuild Bound(Harness h, params string[] args)
    {
        ParametersBuild.Last = null;
        var run = h.Run<ParametersBuild>(["Show", .. args]);
        Assert.True(run.ExitCode == 0, run.Output);
        return ParametersBuild.Last!;
    }

    static RunResult Refused(Harness h, params string[] args)
    {
        var run = h.Run<ParametersBuild>(["Show", .. args]);
        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Empty(run.Ran);
        return run;
    }

    [Fact]
    public void A_bare_parameter_name_in_the_environment_binds_nothing()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.staging.json", """{ "ComposeProject": "from-staging" }""")
         .WithEnvironment("ENV", "staging").WithEnvironment("CONFIRM", "production").WithEnvironment("COMPOSE_PROJECT", "ambient")
         .WithEnvironment("Retries", "9").WithEnvironment("BREAK_LOCK", "true");

        var build = Bound(h);

        Assert.Null(build.Env);
        Assert.Null(build.Confirm);
        Assert.Equal("robodj", build.ComposeProject);
        Assert.Equal(3, build.Retries);
        Assert.False(build.BreakLock);
    }

    [Fact]
    public void A_prefixed_variable_binds_and_its_profile_file_applies()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.staging.json", """{ "ComposeProject": "from-staging" }""").WithEnvironment("ROTATION_ENV", "staging");

        var build = Bound(h);

        Assert.Equal("staging", build.Env);
        Assert.Equal("from-staging", build.ComposeProject);
    }

    [Fact]
    public void A_confirmation_in_the_environment_is_refused_naming_the_variable_and_the_flag()
    {
        using var h = new Harness();
        h.WithEnvironment("ROTATION_CONFIRM", "production");

        var run = Refused(h, "--confirm", "production");

        Assert.Equal("error: The environment variable ROTATION_CONFIRM is set, but --confirm comes only from the command line, so that no ambient setting " +
                     "stands in for it: unset ROTATION_CONFIRM and pass --confirm <value>.", run.ErrorLine.TrimEnd());
        using var other = new Harness();
        Assert.Contains("unset ROTATION_BREAK_LOCK", Refused(other.WithEnvironment("ROTATION_BREAK_LOCK", "true")).ErrorLine);
    }

    [Fact]
    public void A_command_line_only_parameter_in_a_parameters_file_is_refused_even_when_the_flag_is_given()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.production.json", """{ "Confirm": "production" }""");

        var run = Refused(h, "--env", "production", "--confirm", "production");

        Assert.Contains(".nuke/parameters.production.json, $.Confirm: --confirm comes only from the command line", run.ErrorLine);
        Assert.Contains("remove it from .nuke/parameters.production.json", run.ErrorLine);
    }

    [Fact]
    public void An_empty_variable_counts_as_unset_and_the_parameters_file_applies()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "ComposeProject": "from-file" }""")
         .WithEnvironment("ROTATION_COMPOSE_PROJECT", "").WithEnvironment("COMPOSE_PROJECT", "");

        var build = Bound(h);

        Assert.Equal("from-file", build.ComposeProject);
        Assert.Equal(".nuke/parameters.json, $.ComposeProject", build.Sources[nameof(ParametersBuild.ComposeProject)]);
    }

    [Fact]
    public void An_empty_value_in_a_profile_file_counts_as_unset_and_the_default_file_applies()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "ComposeProject": "from-default-file" }""")
         .WithFile(".nuke/parameters.staging.json", """{ "ComposeProject": "" }""");

        Assert.Equal("from-default-file", Bound(h, "--env", "staging").ComposeProject);
    }

    [Theory]
    [InlineData("--compose-project", "")]
    [InlineData("--compose-project=", null)]
    [InlineData("--labels", "")]
    public void An_empty_value_on_the_command_line_is_an_error_that_says_so(string option, string? value)
    {
        using var h = new Harness();

        var run = Refused(h, value is null ? [option] : [option, value]);

        var name = option.TrimEnd('=');
        Assert.StartsWith($"error: {name} was given an empty value: give one (e.g. {name} <value>), or leave the option out and ROTATION_", run.ErrorLine);
    }

    [Fact]
    public void A_secret_in_a_parameters_file_is_refused_even_while_its_variable_is_set_and_neither_value_is_shown()
    {
        var inFile = NewCanary();
        var inEnvironment = NewCanary();
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", $$"""{ "DashboardPassword": "{{inFile}}" }""").WithEnvironment("DASHBOARD_PASSWORD", inEnvironment);

        var run = Refused(h);

        Assert.Contains(".nuke/parameters.json, $.DashboardPassword is a secret and may only come from the environment variable DASHBOARD_PASSWORD", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [inFile, inEnvironment], "the error");
    }

    [Fact]
    public void A_secret_under_the_prefix_is_refused_naming_its_own_variable_without_showing_it()
    {
        var canary = NewCanary();
        using var h = new Harness();
        h.WithEnvironment("ROTATION_DASHBOARD_PASSWORD", canary);

        var run = Refused(h);

        Assert.Contains("ROTATION_DASHBOARD_PASSWORD is set, but DashboardPassword is a secret that comes only from DASHBOARD_PASSWORD", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [canary], "the error");
    }

    [Fact]
    public void An_unknown_variable_under_the_prefix_is_bad_input_with_the_closest_name()
    {
        using var h = new Harness();
        h.WithEnvironment("ROTATION_COMPOSE_PROJCT", "p");

        var run = Refused(h);

        Assert.Contains("Unknown environment variable ROTATION_COMPOSE_PROJCT", run.ErrorLine);
        Assert.Contains("Did you mean 'ROTATION_COMPOSE_PROJECT'?", run.ErrorLine);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_unknown_option_never_shows_its_value(bool inline)
    {
        var canary = NewCanary();
        using var h = new Harness();

        var run = Refused(h, inline ? ["--dashbord-password=" + canary] : ["--dashbord-password", canary]);

        Assert.StartsWith("error: Unknown parameter '--dashbord-password'", run.ErrorLine);
        Assert.Contains("Did you mean '--dashboard-password'?", run.ErrorLine);
        Canary.AssertAbsent(run.Output, [canary], "the error");
    }

    [Fact]
    public void A_valid_value_in_another_case_binds_as_declared_and_loads_that_profile_file()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.staging.json", """{ "ComposeProject": "from-staging" }""");

        var build = Bound(h, "--env", "Staging");

        Assert.Equal("staging", build.Env);
        Assert.Equal("from-staging", build.ComposeProject);
    }

    [Fact]
    public void An_env_outside_its_valid_values_is_refused_naming_its_source_and_loads_no_profile()
    {
        using var h = new Harness();
        h.WithEnvironment("ROTATION_ENV", "../staging");

        var run = Refused(h);

        Assert.Equal("error: Invalid value '../staging' for environment variable ROTATION_ENV. Valid values: staging, production, sandbox.", run.ErrorLine.TrimEnd());
    }

    [Fact]
    public void A_url_with_user_info_is_refused_without_showing_the_user_info()
    {
        using var h = new Harness();

        var run = Refused(h, "--base-url", "http://operator:hunter2-canary@127.0.0.1:8080/");

        Assert.Contains("Invalid value 'http://***@127.0.0.1:8080/' for --base-url: a URL with user info (user:password@)", run.ErrorLine);
        Assert.DoesNotContain("hunter2-canary", run.Output);
        Assert.DoesNotContain("operator", run.Output);
    }

    /// <summary>.NET's Uri, like a browser, reads a backslash after http: as a slash: these carry the same user info.</summary>
    [Theory]
    [InlineData(@"http:\\operator:hunter2-canary@127.0.0.1:8080/")]
    [InlineData(@"http:/\operator:hunter2-canary@127.0.0.1:8080/")]
    [InlineData(@"HTTP:\/operator:hunter2-canary@127.0.0.1:8080/")]
    public void A_url_with_user_info_behind_backslashes_is_refused_as_well(string url)
    {
        using var h = new Harness();

        var run = Refused(h, "--base-url", url);

        Assert.Contains("for --base-url: a URL with user info (user:password@)", run.ErrorLine);
        Assert.DoesNotContain("hunter2-canary", run.Output);
        Assert.DoesNotContain("operator", run.Output);
    }

    [Fact]
    public void A_check_refuses_a_value_in_its_own_words_naming_the_file_and_its_json_path()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "Endpoint": "not-a-url" }""");

        var run = Refused(h);

        Assert.Equal("error: Invalid value 'not-a-url' for .nuke/parameters.json, $.Endpoint: give it as http://127.0.0.1:<port>/.", run.ErrorLine.TrimEnd());
        Assert.Equal("http://127.0.0.1:8080/", Bound(h, "--endpoint", "http://127.0.0.1:8080/").Endpoint);
    }

    [Fact]
    public void A_check_with_valid_values_refuses_an_unknown_one_listing_them_and_help_shows_them()
    {
        using var h = new Harness();

        var run = Refused(h, "--channels", "log", "carrier-pigeon");

        Assert.Equal("error: Invalid value 'carrier-pigeon' for --channels. Valid values: log, github.", run.ErrorLine.TrimEnd());
        Assert.Equal(["log", "github"], Bound(h, "--channels", "LOG", "github").Channels);
        Assert.Contains("Announcement channels (log | github)", h.Run<ParametersBuild>("--help").Output);
    }

    [Fact]
    public void The_build_knows_where_each_value_came_from()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "Ratio": 0.5 }""").WithEnvironment("ROTATION_RETRIES", "4");

        var sources = Bound(h, "--compose-project", "p").Sources;

        Assert.Equal("--compose-project", sources[nameof(ParametersBuild.ComposeProject)]);
        Assert.Equal("environment variable ROTATION_RETRIES", sources[nameof(ParametersBuild.Retries)]);
        Assert.Equal(".nuke/parameters.json, $.Ratio", sources[nameof(ParametersBuild.Ratio)]);
        Assert.Equal("its default", sources[nameof(ParametersBuild.Env)]);
    }

    [Fact]
    public void A_root_that_does_not_exist_is_refused_and_not_created()
    {
        using var h = new Harness();
        var missing = Path.Combine(h.Root, "no-such-folder");

        var run = Refused(h, "--root", missing);

        Assert.Equal($"error: --root {missing}: the folder does not exist. Point --root at the repository (the folder that holds .nuke/), or leave it out; nothing was created.", run.ErrorLine.TrimEnd());
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void A_root_without_a_nuke_folder_is_refused_since_no_parameters_file_would_apply()
    {
        using var h = new Harness();
        using var bare = new TempDir("root-without-nuke");

        var run = Refused(h, "--root", bare.Path);

        Assert.Contains($"--root {bare.Path} holds no .nuke/ folder", run.ErrorLine);
        Assert.Empty(Directory.EnumerateFileSystemEntries(bare.Path));
    }

    [Fact]
    public void Help_states_the_binding_rule_and_marks_the_command_line_only_options()
    {
        using var h = new Harness();

        // The help wraps to the console's width: read it as flowing text.
        var help = System.Text.RegularExpressions.Regex.Replace(h.Run<ParametersBuild>("--help").Output, @"\s+", " ");

        Assert.Contains("the command line (--compose-project X); the environment variable", help);
        Assert.Contains("ROTATION_<NAME> (e.g. ROTATION_COMPOSE_PROJECT; no other variable sets a parameter", help);
        Assert.Contains("An empty variable or file value counts as unset; an empty value on the command line is an error.", help);
        Assert.Matches(@"--confirm <value>\s+Type production to rotate production \[command line only\]", help);
        Assert.Contains("[secret: from env DASHBOARD_PASSWORD only]", help);
    }
}
