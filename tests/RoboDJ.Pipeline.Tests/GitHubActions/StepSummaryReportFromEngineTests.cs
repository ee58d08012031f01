using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Pipeline.Internal;
using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

public class StepSummaryReportFromEngineTests
{
    [Fact]
    public void Every_engine_status_and_edge_kind_has_a_summary_counterpart()
    {
        foreach (var status in Enum.GetValues<TargetStatus>()) Assert.True(Enum.TryParse<StepStatus>(status.ToString(), out _), status.ToString());
        foreach (var kind in Enum.GetValues<PlanWriter.EdgeKind>()) Assert.True(Enum.TryParse<PlanEdgeKind>(kind.ToString(), out _), kind.ToString());
    }

    [Fact]
    public void A_real_failed_run_becomes_a_report_with_the_failed_row_its_error_and_the_console_outcome()
    {
        using var harness = new Harness();
        var run = harness.Run<FailureBuild>("Fragile");
        Assert.NotNull(run.Summary);

        var report = StepSummaryReport.From(run.Summary, "Fragile", [new PlanEdge("Prepare", "Fragile", PlanEdgeKind.DependsOn)]);

        Assert.False(report.Succeeded);
        Assert.StartsWith("Build failed: Fragile failed.", report.Outcome);
        var fragile = Assert.Single(report.Targets, t => t.Name == "Fragile");
        Assert.Equal(StepStatus.Failed, fragile.Status);
        Assert.Equal("InvalidOperationException: the disk is full", fragile.Error);
        Assert.Equal(StepStatus.Succeeded, Assert.Single(report.Targets, t => t.Name == "Prepare").Status);

        var text = GitHubStepSummary.Render(report);
        Assert.Contains("- **Fragile**: InvalidOperationException: the disk is full\n", text);
        Assert.Contains(":::failed", text);
    }

    [Fact]
    public void The_plan_edges_follow_the_work_dependencies_and_triggers()
    {
        var plan = Planner.Plan(TargetCollector.Collect(new RelationsBuild()), ["Stop"], null);
        var edges = StepSummaryReport.EdgesOf(plan);
        Assert.Contains(new PlanEdge("Stop", "Start", PlanEdgeKind.Triggers), edges);
        Assert.Contains(new PlanEdge("Start", "Report", PlanEdgeKind.Triggers), edges);
        Assert.DoesNotContain(edges, e => e.From == "Compile" || e.To == "Compile");
    }

    [Fact]
    public void A_dry_run_summary_is_marked_once()
    {
        var summary = new BuildSummary([new TargetResult("Rotate", TargetStatus.Succeeded, TimeSpan.FromSeconds(1), "would write V1 sha256:1a2b3c4d5e6f", null)], BuildOutcome.Succeeded, IsDryRun: true);
        var text = GitHubStepSummary.Render(StepSummaryReport.From(summary, "Rotate", []));
        Assert.Equal(1, text.Split("dry run").Length - 1);
        Assert.Contains("would write V1 sha256:1a2b3c4d5e6f", text);
    }
}
