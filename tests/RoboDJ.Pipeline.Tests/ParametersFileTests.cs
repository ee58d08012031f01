using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ParametersFileTests
{
    [Fact]
    public void A_malformed_parameters_file_is_named_with_its_line()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", "{\n  \"Retries\": 2,\n  \"Env\": staging\n}\n");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: .nuke/parameters.json, line 3: not valid JSON", run.ErrorLine);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public void A_malformed_profile_file_is_named_too()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.staging.json", "{ \"Retries\": 2,, }");
        var run = h.Run<ParametersBuild>("Show", "--env", "staging");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: .nuke/parameters.staging.json, line 1:", run.ErrorLine);
    }

    [Fact]
    public void An_unknown_key_in_a_parameters_file_is_bad_input_with_a_suggestion()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "ComposeProjet": "x" }""");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".nuke/parameters.json: unknown parameter 'ComposeProjet'. Did you mean 'ComposeProject'?", run.ErrorLine);
    }

    [Fact]
    public void A_wrong_value_in_a_file_names_the_file_and_the_json_path()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "Runtime": "podman" }""");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Contains("Invalid value 'podman' for .nuke/parameters.json, $.Runtime. Valid values: Docker, Desktop.", run.ErrorLine);
    }
}
