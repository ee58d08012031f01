namespace RoboDJ.Pipeline;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun, Aborted }

public enum BuildOutcome { Succeeded, Failed, Cancelled, BadInput }

/// <param name="Note">Set by the target through <c>Note(text)</c>, or the skip reason.</param>
public sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string? Note, Exception? Exception);

/// <summary>What happened: one row per planned target, in plan order.</summary>
public sealed record BuildSummary(IReadOnlyList<TargetResult> Targets, BuildOutcome Outcome, bool IsDryRun, string? Error = null)
{
    public TargetResult? this[string name] => Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
    public IEnumerable<TargetResult> Failed => Targets.Where(t => t.Status == TargetStatus.Failed);
    public bool Succeeded(string target) => this[target]?.Status == TargetStatus.Succeeded;
}
