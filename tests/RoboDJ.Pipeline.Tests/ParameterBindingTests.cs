using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ParameterBindingTests
{
    static ParametersBuild Bound(Harness h, params string[] args)
    {
        ParametersBuild.Last = null;
        var run = h.Run<ParametersBuild>(["Show", .. args]);
        Assert.True(run.ExitCode == 0, run.Output);
        return ParametersBuild.Last!;
    }

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_the_profile_file_which_beats_the_default_file()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "$schema": "./build.schema.json", "ComposeProject": "from-default", "Retries": 5, "Ratio": 0.5 }""")
         .WithFile(".nuke/parameters.staging.json", """{ "ComposeProject": "from-profile", "Retries": 7 }""");

        Assert.Equal(0.5, Bound(h, "--env", "staging").Ratio);
        Assert.Equal(7, Bound(h, "--env", "staging").Retries);
        Assert.Equal("from-profile", Bound(h, "--env", "staging").ComposeProject);
        Assert.Equal("from-default", Bound(h).ComposeProject);

        h.WithEnvironment("ROTATION_COMPOSE_PROJECT", "from-env");
        Assert.Equal("from-env", Bound(h, "--env", "staging").ComposeProject);
        Assert.Equal("from-cli", Bound(h, "--env", "staging", "--compose-project", "from-cli").ComposeProject);
    }

    [Fact]
    public void The_initializer_is_the_value_when_no_source_has_one()
    {
        using var h = new Harness();
        var build = Bound(h);
        Assert.Equal("robodj", build.ComposeProject);
        Assert.Equal(3, build.Retries);
        Assert.Equal(Runtime.Docker, build.Runtime);
        Assert.Null(build.StartTimeout);
    }

    [Fact]
    public void The_profile_comes_from_the_env_parameter_in_the_environment_and_profile_beats_it()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.sandbox.json", """{ "Runtime": "desktop" }""")
         .WithFile(".nuke/parameters.other.json", """{ "Runtime": "docker", "Retries": 1 }""")
         .WithEnvironment("ROTATION_ENV", "sandbox");
        Assert.Equal(Runtime.Desktop, Bound(h).Runtime);
        var explicitProfile = Bound(h, "--profile", "other");
        Assert.Equal(Runtime.Docker, explicitProfile.Runtime);
        Assert.Equal(1, explicitProfile.Retries);
    }

    [Fact]
    public void An_explicit_profile_without_a_file_is_bad_input_listing_the_known_profiles()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.sandbox.json", "{}");
        var run = h.Run<ParametersBuild>("Show", "--profile", "prod");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Profile 'prod' has no file .nuke/parameters.prod.json. Known profiles: sandbox.", run.ErrorLine);
    }

    [Fact]
    public void Names_are_kebab_case_on_the_command_line_and_prefixed_upper_snake_in_the_environment()
    {
        using var h = new Harness();
        h.WithEnvironment("ROTATION_START_TIMEOUT", "90s").WithEnvironment("ROTATION_RETRIES", "4");
        var build = Bound(h, "--compose-project", "p1");
        Assert.Equal("p1", build.ComposeProject);
        Assert.Equal(TimeSpan.FromSeconds(90), build.StartTimeout);
        Assert.Equal(4, build.Retries);
    }

    [Fact]
    public void A_bare_flag_means_true_and_the_last_occurrence_wins()
    {
        using var h = new Harness();
        Assert.True(Bound(h, "--break-lock").BreakLock);
        Assert.False(Bound(h, "--break-lock", "false").BreakLock);
        Assert.Equal("b", Bound(h, "--compose-project", "a", "--compose-project", "b").ComposeProject);
    }

    [Fact]
    public void Values_convert_to_int_double_timespan_enum_and_arrays()
    {
        using var h = new Harness();
        var build = Bound(h, "--retries", "9", "--ratio", "2.5", "--start-timeout", "00:02:00", "--runtime", "DESKTOP", "--labels", "a", "b,c");
        Assert.Equal(9, build.Retries);
        Assert.Equal(2.5, build.Ratio);
        Assert.Equal(TimeSpan.FromMinutes(2), build.StartTimeout);
        Assert.Equal(Runtime.Desktop, build.Runtime);
        Assert.Equal(["a", "b", "c"], build.Labels);
    }

    [Fact]
    public void An_invalid_enum_value_lists_the_valid_ones()
    {
        using var h = new Harness();
        var run = h.Run<ParametersBuild>("Show", "--runtime", "podman");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Invalid value 'podman' for --runtime. Valid values: Docker, Desktop.", run.ErrorLine.TrimEnd('\r'));
    }

    [Fact]
    public void A_value_outside_ValidValues_lists_them_and_names_its_source()
    {
        using var h = new Harness();
        h.WithEnvironment("ROTATION_ENV", "prod");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Invalid value 'prod' for environment variable ROTATION_ENV. Valid values: staging, production, sandbox.", run.ErrorLine);
    }

    [Fact]
    public void A_missing_value_says_what_a_value_looks_like()
    {
        using var h = new Harness();
        var run = h.Run<ParametersBuild>("Show", "--retries");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--retries needs a value, e.g. --retries 1.", run.ErrorLine);
        Assert.Contains("--env needs a value, e.g. --env staging.", h.Run<ParametersBuild>("Show", "--env").ErrorLine);
    }

    [Fact]
    public void An_unknown_parameter_suggests_the_closest_and_points_at_the_help_instead_of_listing_every_name()
    {
        using var h = new Harness();
        var run = h.Run<ParametersBuild>("Show", "--retrys", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Unknown parameter '--retrys'. Did you mean '--retries'? Run --help for the list.", run.ErrorLine.TrimEnd('\r'));
        Assert.DoesNotContain("--compose-project", run.Output);
    }

    [Fact]
    public void A_number_that_does_not_parse_is_bad_input()
    {
        using var h = new Harness();
        var run = h.Run<ParametersBuild>("Show", "--retries", "many");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Invalid value 'many' for --retries: expected a whole number.", run.ErrorLine);
    }

    [Fact]
    public void A_scalar_option_takes_one_value_and_later_words_are_targets()
    {
        using var h = new Harness();
        ParametersBuild.Last = null;
        var run = h.Run<ParametersBuild>("--compose-project", "p", "Show");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("p", ParametersBuild.Last!.ComposeProject);
    }

    [Fact]
    public void Root_points_the_engine_at_another_folder_for_its_parameters_and_logs()
    {
        using var h = new Harness();
        using var other = new Harness();
        other.WithFile(".nuke/parameters.json", """{ "ComposeProject": "from-other-root" }""");
        Assert.Equal("from-other-root", Bound(h, "--root", other.Root).ComposeProject);
        Assert.True(Directory.Exists(Path.Combine(other.Root, ".nuke", "temp", "logs")));
        Assert.False(Directory.Exists(Path.Combine(h.Root, ".nuke", "temp")));
    }
}
