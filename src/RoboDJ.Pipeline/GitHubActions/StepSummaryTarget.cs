namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>One row of the job summary's table, in plan order.</summary>
/// <param name="Note">The target's note or skip reason.</param>
/// <param name="Error">The failure's one-line message, when it failed.</param>
public sealed record StepSummaryTarget(string Name, StepStatus Status, TimeSpan Duration, string? Note = null, string? Error = null);
