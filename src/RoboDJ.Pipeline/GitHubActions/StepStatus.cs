namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>A target's status in the job summary; the same members as the engine's TargetStatus, mapped by name.</summary>
public enum StepStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotRun,
    Aborted,
}
