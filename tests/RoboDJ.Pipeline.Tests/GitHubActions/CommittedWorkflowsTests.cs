using RoboDJ.Testing;
using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>
/// Drift detection by the writer, on a sample build in a temp folder. The gate over the committed files and the real Build
/// class is tests/RoboDJ.Build.Tests/GitHub/CommittedGeneratedFilesTests.
/// </summary>
public class CommittedWorkflowsTests
{
    [Fact]
    public void A_hand_edited_workflow_is_reported_stale_and_regeneration_restores_it()
    {
        using var root = new TempDir();
        Assert.Equal([".github/workflows/rotate-keys.yml", ".github/workflows/ci.yml"], GitHubActionsWorkflowWriter.WriteAll(typeof(BuildWithWorkflows), root.Path));
        Assert.Empty(GitHubActionsWorkflowWriter.FindStale(typeof(BuildWithWorkflows), root.Path));

        var ci = root.Combine(".github", "workflows", "ci.yml");
        File.WriteAllText(ci, File.ReadAllText(ci).Replace("timeout-minutes: 30", "timeout-minutes: 5"));
        File.Delete(root.Combine(".github", "workflows", "rotate-keys.yml"));
        Assert.Equal([".github/workflows/rotate-keys.yml", ".github/workflows/ci.yml"], GitHubActionsWorkflowWriter.FindStale(typeof(BuildWithWorkflows), root.Path));

        GitHubActionsWorkflowWriter.WriteAll(typeof(BuildWithWorkflows), root.Path);
        Assert.Empty(GitHubActionsWorkflowWriter.FindStale(typeof(BuildWithWorkflows), root.Path));
        Assert.Empty(Directory.GetFiles(root.Combine(".github", "workflows"), "*.tmp"));
    }
}
