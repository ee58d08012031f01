namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>Scopes of the job's GITHUB_TOKEN. A workflow lists only the ones it needs; all others are none.</summary>
public enum GitHubActionsPermission
{
    Actions,
    Checks,
    Contents,
    Deployments,
    Issues,
    Packages,
    PullRequests,
    Statuses,
}
