using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    SnapshotRetention Retention => new(Scope, options.KeepSnapshots);

    /// <summary>
    /// After the rotation's Completed line, still under the lock: old snapshots go (issue 13). The keys are rotated and
    /// verified by now, so a retention that fails is journaled and warned about, never the rotation's failure.
    /// </summary>
    async Task<string> ApplyRetentionAsync(RotationJournal completed, CancellationToken cancellationToken)
    {
        try
        {
            var report = Retention.Apply(await store.ReadAsync(cancellationToken));
            completed.Ended(RotationStep.Retention, report.Facts);
            return report.Summary;
        }
        // Whatever goes wrong here (a config file the running app is rewriting, a snapshot it cannot read), the rotation held.
        catch (Exception e) when (e is not (RoboDJ.KeyRotation.Effects.DryRunBreachException or OperationCanceledException))
        {
            var error = SecretRedactor.Redact(e.Message);
            Log.Warning("Retention: old snapshots were not removed: {Error}. The next verified rotation tries again.", error);
            TryJournal(() => completed.Failed(RotationStep.Retention, error));
            return $"old snapshots not removed ({error})";
        }
    }
}
