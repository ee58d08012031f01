using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>A rotation's summary as the engine would report it; each With... changes one thing.</summary>
sealed class StepSummaryBuilder
{
    readonly List<StepSummaryTarget> targets =
    [
        new("Preflight", StepStatus.Succeeded, TimeSpan.FromMilliseconds(1200), "census: 12 fields under V1, 3 under V2"),
        new("Announce", StepStatus.Succeeded, TimeSpan.FromMilliseconds(300)),
        new("Snapshot", StepStatus.Succeeded, TimeSpan.FromMilliseconds(150)),
        new("Stop", StepStatus.Succeeded, TimeSpan.FromSeconds(4)),
        new("Rotate", StepStatus.Succeeded, TimeSpan.FromSeconds(2)),
        new("Start", StepStatus.Succeeded, TimeSpan.FromSeconds(6)),
        new("Verify", StepStatus.Succeeded, TimeSpan.FromSeconds(3)),
        new("Rollback", StepStatus.NotRun, TimeSpan.Zero),
    ];

    readonly List<StepSummarySection> sections = [];
    string outcome = "Succeeded";
    bool dryRun;

    static readonly PlanEdge[] Edges =
    [
        new("Preflight", "Announce", PlanEdgeKind.DependsOn),
        new("Announce", "Snapshot", PlanEdgeKind.DependsOn),
        new("Snapshot", "Stop", PlanEdgeKind.DependsOn),
        new("Stop", "Rotate", PlanEdgeKind.DependsOn),
        new("Rotate", "Start", PlanEdgeKind.Triggers),
        new("Start", "Verify", PlanEdgeKind.Triggers),
        new("Verify", "Rollback", PlanEdgeKind.After),
        new("Verify", "NotInThePlan", PlanEdgeKind.DependsOn),
    ];

    public StepSummaryBuilder WithTarget(string name, StepStatus status, string? note = null, string? error = null)
    {
        var i = targets.FindIndex(t => t.Name == name);
        targets[i] = targets[i] with { Status = status, Note = note ?? targets[i].Note, Error = error };
        return this;
    }

    public StepSummaryBuilder WithOutcome(string text) { outcome = text; return this; }

    public StepSummaryBuilder AsDryRun() { dryRun = true; return this; }

    public StepSummaryBuilder WithSection(StepSummarySection section) { sections.Add(section); return this; }

    public StepSummaryReport Build() =>
        new("Rotate --env staging", outcome, targets.All(t => t.Status != StepStatus.Failed), dryRun, targets, Edges, sections);
}
