namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>Why one target runs before another; drawn as in the engine's --plan graph.</summary>
public enum PlanEdgeKind
{
    DependsOn,
    Triggers,
    After,
}
