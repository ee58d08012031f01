namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>An edge of the plan, pointing the way work flows: from the target that runs first to the one after it.</summary>
public sealed record PlanEdge(string From, string To, PlanEdgeKind Kind);
