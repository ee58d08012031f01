using Serilog;

namespace RoboDJ.KeyRotation.Effects;

/// <summary>--dry-run: every change is recorded, none applied; the record is the preview.</summary>
public sealed class DryRunEffects : IEffects
{
    readonly List<PlannedChange> recorded = [];
    readonly Lock gate = new();

    public bool IsDryRun => true;

    public IReadOnlyList<PlannedChange> Recorded
    {
        get { lock (gate) return recorded.ToList(); }
    }

    public async Task<T> ApplyAsync<T>(string target, ChangeKind kind, Func<Task<string>> describe, Func<Task<T>> apply, Func<string, T> standIn)
    {
        var change = new PlannedChange(target, kind, await describe());
        lock (gate) recorded.Add(change);
        Log.Debug("Dry run, recorded and not made: {Change}", change);
        return standIn(change.What);
    }

    public IDisposable Guard() => EffectGuard.Engage();
}
