namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>The events a generated workflow listens to, written under <c>on:</c> in this order.</summary>
public enum GitHubActionsTrigger
{
    Push,
    PullRequest,
    WorkflowDispatch,
}
