using RoboDJ.Pipeline.GitHubActions;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>Regenerates the committed workflow files when ROBODJ_REGENERATE_WORKFLOWS=1 (until the build's own --generate-configuration is wired).</summary>
public class GenerateWorkflowsOnce
{
    [Fact]
    public void Regenerate_the_committed_workflows_when_asked()
    {
        if (Environment.GetEnvironmentVariable("ROBODJ_REGENERATE_WORKFLOWS") != "1") Assert.Skip("set ROBODJ_REGENERATE_WORKFLOWS=1 to regenerate");
        Assert.NotEmpty(GitHubActionsWorkflowWriter.WriteAll(typeof(BuildWithWorkflows), RepositoryRoot.Path));
    }
}
