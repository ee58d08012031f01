using RoboDJ.Pipeline.Internal;

namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>What the job summary shows: built by the engine from its BuildSummary and plan when the build finishes.</summary>
/// <param name="Title">e.g. "Rotate --env staging".</param>
/// <param name="Outcome">The outcome line, e.g. "Build failed: Start failed.".</param>
public sealed record StepSummaryReport(
    string Title,
    string Outcome,
    bool Succeeded,
    bool IsDryRun,
    IReadOnlyList<StepSummaryTarget> Targets,
    IReadOnlyList<PlanEdge> Edges,
    IReadOnlyList<StepSummarySection> Sections)
{
    /// <summary>The engine's summary as the job summary shows it, with the same outcome wording as the console.</summary>
    public static StepSummaryReport From(BuildSummary summary, string title, IEnumerable<PlanEdge> edges, IEnumerable<StepSummarySection>? sections = null)
    {
        var outcome = SummaryWriter.Outcome(summary with { IsDryRun = false });
        if (!string.IsNullOrWhiteSpace(summary.Error)) outcome += " " + summary.Error;
        return new StepSummaryReport(
            title,
            outcome,
            summary.Outcome == BuildOutcome.Succeeded,
            summary.IsDryRun,
            summary.Targets.Select(t => new StepSummaryTarget(t.Name, Enum.Parse<StepStatus>(t.Status.ToString()), t.Duration, t.Note, MessageOf(t.Exception))).ToList(),
            edges.ToList(),
            (sections ?? []).ToList());
    }

    /// <summary>The plan's edges between the targets it runs, as the --plan graph draws them.</summary>
    internal static IReadOnlyList<PlanEdge> EdgesOf(ExecutionPlan plan) =>
        PlanWriter.Edges(plan.Ordered.ToList())
            .Select(e => new PlanEdge(e.From.Name, e.To.Name, Enum.Parse<PlanEdgeKind>(e.Kind.ToString())))
            .ToList();

    static string? MessageOf(Exception? e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException;
        return e is null ? null : $"{e.GetType().Name}: {e.Message}";
    }
}
