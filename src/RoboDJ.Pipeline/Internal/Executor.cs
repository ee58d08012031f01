using System.Diagnostics;
using Serilog;
using Serilog.Context;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Runs the plan in order. After a failure the rest is NotRun, unless the failed target proceeds after failure or the
/// remaining target is assured. On cancellation the running target is Aborted and only assured targets still run, with
/// a token of their own. A target below a gate that did not succeed is NotRun, assured or not. A condition that throws
/// fails its target like its body would, so the rest of the plan and the summary still happen.
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
            // NotRun only follows a failure or a gate that did not open: either way the invoked work did not happen.
            : ordered.Any(r => r.Status is TargetStatus.Failed or TargetStatus.Aborted or TargetStatus.NotRun) ? BuildOutcome.Failed
            : BuildOutcome.Succeeded;
        return new BuildSummary(ordered, outcome, isDryRun);

        async Task<TargetResult> RunOne(ExecutableTarget t)
        {
            TargetResult NotRun(string why) => new(t.Name, TargetStatus.NotRun, TimeSpan.Zero, why, null);
            TargetResult Skipped(string why) => new(t.Name, TargetStatus.Skipped, TimeSpan.Zero, why, null);
            // A gate guards its dependents whatever else is true of them: assured or not, they never run without it.
            var closedGate = t.GatesAbove().FirstOrDefault(g => results.TryGetValue(g, out var r) && r.Status != TargetStatus.Succeeded);
            if (closedGate is not null) return NotRun($"gate {closedGate.Name} did not succeed");
            if (cancellation.IsCancellationRequested && !t.IsAssured) return NotRun("cancelled");
            if (plan.SkipReasons.TryGetValue(t, out var reason)) return Skipped(reason);
            if (stopped && !t.IsAssured) return NotRun("an earlier target failed");
            var blocker = t.DependsOn.FirstOrDefault(d => results.TryGetValue(d, out var r) && r.Status is TargetStatus.Failed or TargetStatus.Aborted or TargetStatus.NotRun);
            if (blocker is not null && !t.IsAssured) return NotRun($"{blocker.Name} did not succeed");

            actions?.Group(t.Name);
            // Every event of the target says which target it came from, in the CLEF file as a property of its own.
            using var target = LogContext.PushProperty("Target", t.Name);
            var clock = new Stopwatch();
            try
            {
                if (verbosity > Verbosity.Quiet)
                {
                    output.Line();
                    output.Line($"═══ {t.Name} ═══", ConsoleOutput.Cyan);
                }
                Log.Debug("Target {Target} starting", t.Name);
                if (plan.ConditionErrors.TryGetValue(t, out var conditionError)) throw new ConditionException(conditionError);
                var failedCondition = FirstFalse(t);
                if (failedCondition is not null)
                {
                    Log.Information("Skipped: {Reason}", failedCondition);
                    Planner.Skip(plan, t, failedCondition, results.Keys.ToHashSet());
                    return Skipped(failedCondition);
                }
                // An assured target must be able to finish its clean-up after Ctrl-C, so it never sees the cancelled token.
                var token = t.IsAssured ? CancellationToken.None : cancellation;
                build.Context.CurrentNote = null;
                clock.Start();
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
                var shown = Unwrap(e);
                var what = e is ConditionException ? "failed (its condition threw)" : "failed";
                Log.Error(shown, "Target {Target} " + what + ": {Message}", t.Name, shown.Message);
                return new(t.Name, TargetStatus.Failed, clock.Elapsed, build.Context.CurrentNote ?? FirstLine(shown.Message), shown);
            }
            finally
            {
                actions?.EndGroup();
            }
        }
    }

    /// <summary>The text of the first dynamic condition that is false, or null; a throwing one throws <see cref="ConditionException"/>.</summary>
    static string? FirstFalse(ExecutableTarget t)
    {
        foreach (var (condition, text) in t.Definition.DynamicConditions)
        {
            bool holds;
            try { holds = condition(); }
            catch (Exception e) { throw new ConditionException(e); }
            if (!holds) return text;
        }
        return null;
    }

    static Exception Unwrap(Exception e) => e switch
    {
        ConditionException { InnerException: { } inner } => Unwrap(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => inner,
        _ => e,
    };

    /// <summary>Marks an exception thrown by a condition rather than the target's body, for the log line.</summary>
    sealed class ConditionException(Exception inner) : Exception(inner.Message, inner);

    static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
