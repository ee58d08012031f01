namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>The type of a <c>workflow_dispatch</c> input, as GitHub's form shows it.</summary>
public enum GitHubActionsInputType
{
    String,
    Boolean,
    Choice,
}
