using System.Diagnostics;
using Serilog;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Runs the plan in order. After a failure the rest is NotRun, unless the failed target proceeds after failure or the
/// remaining target is assured. On cancellation the running target is Aborted and only assured targets still run, with
/// a token of their own.
/// </summary>
sealed class Executor(PipelineBuild build, ConsoleOutput output, GitHubActions? actions, Verbosity verbosity)
{
    public async Task<BuildSummary> RunAsync(ExecutionPlan plan, bool isDryRun, CancellationToken cancellation)
    {
        var results = new Dictionary<ExecutableTarget, TargetResult>();
        var stopped = false;
        foreach (var t in plan.Ordered)
        {
            results[t] = await RunOne(t);
            var status = results[t].Status;
            if (status == TargetStatus.Failed && !t.IsProceedAfterFailure) stopped = true;
        }

        // Notes reach OnBuildFinished and whatever a build writes from there (e.g. a job summary): redact them once here.
        var ordered = plan.Ordered.Select(t => results[t] with { Note = results[t].Note is { } n ? SecretRedactor.Redact(n) : null }).ToList();
        var outcome = cancellation.IsCancellationRequested ? BuildOutcome.Cancelled
            : ordered.Any(r => r.Status is TargetStatus.Failed or TargetStatus.Aborted) ? BuildOutcome.Failed
            : BuildOutcome.Succeeded;
        return new BuildSummary(ordered, outcome, isDryRun);

        async Task<TargetResult> RunOne(ExecutableTarget t)
        {
            TargetResult NotRun(string why) => new(t.Name, TargetStatus.NotRun, TimeSpan.Zero, why, null);
            if (cancellation.IsCancellationRequested && !t.IsAssured) return NotRun("cancelled");
            if (plan.SkipReasons.TryGetValue(t, out var reason)) return new(t.Name, TargetStatus.Skipped, TimeSpan.Zero, reason, null);
            if (stopped && !t.IsAssured) return NotRun("an earlier target failed");
            var blocker = t.DependsOn.FirstOrDefault(d => results.TryGetValue(d, out var r) && r.Status is TargetStatus.Failed or TargetStatus.Aborted or TargetStatus.NotRun);
            if (blocker is not null && !t.IsAssured) return NotRun($"{blocker.Name} did not succeed");

            actions?.Group(t.Name);
            try
            {
                if (verbosity > Verbosity.Quiet)
                {
                    output.Line();
                    output.Line($"═══ {t.Name} ═══", ConsoleOutput.Cyan);
                }
                Log.Debug("Target {Target} starting", t.Name);
                var failedCondition = t.Definition.DynamicConditions.FirstOrDefault(c => !c.Condition());
                if (failedCondition.Condition is not null)
                {
                    Log.Information("Skipped: {Reason}", failedCondition.Text);
                    return new(t.Name, TargetStatus.Skipped, TimeSpan.Zero, failedCondition.Text, null);
                }
                // An assured target must be able to finish its clean-up after Ctrl-C, so it never sees the cancelled token.
                var token = t.IsAssured ? CancellationToken.None : cancellation;
                build.Context.CurrentNote = null;
                var clock = Stopwatch.StartNew();
                try
                {
                    if (t.Definition.Action is { } action) await action(token);
                    Log.Debug("Target {Target} succeeded in {DurationMs} ms", t.Name, clock.ElapsedMilliseconds);
                    return new(t.Name, TargetStatus.Succeeded, clock.Elapsed, build.Context.CurrentNote, null);
                }
                catch (OperationCanceledException e) when (cancellation.IsCancellationRequested && !t.IsAssured)
                {
                    Log.Warning("Target {Target} was cancelled", t.Name);
                    return new(t.Name, TargetStatus.Aborted, clock.Elapsed, build.Context.CurrentNote ?? "cancelled", e);
                }
                catch (Exception e)
                {
                    var shown = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
                    Log.Error(shown, "Target {Target} failed: {Message}", t.Name, shown.Message);
                    return new(t.Name, TargetStatus.Failed, clock.Elapsed, build.Context.CurrentNote ?? FirstLine(shown.Message), shown);
                }
            }
            finally
            {
                actions?.EndGroup();
            }
        }
    }

    static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
