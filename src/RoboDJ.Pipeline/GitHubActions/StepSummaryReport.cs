namespace RoboDJ.Pipeline.GitHubActions;

/// <summary>What the job summary shows: built by the engine from its BuildSummary and plan when the build finishes.</summary>
/// <param name="Title">e.g. "Rotate --env staging".</param>
/// <param name="Outcome">The outcome line, e.g. "Failed: rotation failed, rolled back cleanly".</param>
public sealed record StepSummaryReport(
    string Title,
    string Outcome,
    bool Succeeded,
    bool IsDryRun,
    IReadOnlyList<StepSummaryTarget> Targets,
    IReadOnlyList<PlanEdge> Edges,
    IReadOnlyList<StepSummarySection> Sections);
