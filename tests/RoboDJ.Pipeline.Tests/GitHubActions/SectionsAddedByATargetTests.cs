using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Pipeline.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

public class SectionsAddedByATargetTests
{
    public class CheckBuild : TestBuild
    {
        Target Check => _ => _.Executes(() =>
        {
            AddSummarySection(StepSummarySection.Table("What the check saw", ["Fact", "Value"], [["lock", "free"], ["census", "3 fields | under V1"]]));
            throw new InvalidOperationException("unhealthy");
        });
    }

    [Fact]
    public void A_section_a_target_adds_before_it_fails_is_in_the_job_summary_with_its_cells_escaped()
    {
        using var dir = new TempDir();
        var file = dir.Combine("summary.md");
        using var harness = new Harness().WithEnvironment("GITHUB_ACTIONS", "true").WithEnvironment(GitHubStepSummary.FileVariable, file);

        var run = harness.Run<CheckBuild>("Check");

        Assert.NotEqual(0, run.ExitCode);
        var text = File.ReadAllText(file);
        Assert.Contains("### What the check saw\n\n| Fact | Value |\n| --- | --- |\n| lock | free |\n", text);
        Assert.Contains(@"| census | 3 fields \| under V1 |", text);
        Assert.Contains("- **Check**: InvalidOperationException: unhealthy", text);
    }

    [Fact]
    public void Without_GitHub_Actions_no_summary_file_is_written()
    {
        using var dir = new TempDir();
        var file = dir.Combine("summary.md");
        using var harness = new Harness().WithEnvironment(GitHubStepSummary.FileVariable, file);

        harness.Run<CheckBuild>("Check");

        Assert.False(File.Exists(file));
    }
}
