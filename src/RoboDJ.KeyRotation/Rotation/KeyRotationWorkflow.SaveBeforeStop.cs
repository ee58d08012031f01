using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Issue 14's re-sequencing: the app, the single writer of its config, saves it under the current keys while it still
/// runs, so every field it holds is under V1 before Stop and the shift may drop V2 without an offline rewrap of them in
/// the outage. Files the save did not rewrite (byte for byte as in the snapshot: folders the app skips, such as logs/)
/// are rewrapped offline by Rotate as before; a census of the rewritten ones proves that none still needs V2.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    string DescribeSaveBeforeStop() =>
        "would have the app save its config under the current keys (every field it holds moves to V1) and prove it by a census";

    async Task<(OfflineRewrap Offline, string Note)> SaveBeforeStopAsync(OpenedRotation rotation, DashboardSession session, CancellationToken cancellationToken) =>
        await Step(rotation.OpenJournal, RotationStep.SaveBeforeStop, null, async () =>
        {
            using var client = Dashboard(out _) ?? throw new InvalidOperationException("The dashboard Preflight logged in to is no longer configured.");
            var save = await client.SaveConfigAsync(session, cancellationToken);
            if (save.DecryptionErrors.Count > rotation.UndecryptableBefore)
                throw new VerificationFailedException($"the app's config save before Stop reported {save.DecryptionErrors.Count} decryption error(s): " +
                    $"{string.Join(", ", save.DecryptionErrors.Take(5))}. Nothing was rotated yet.");
            var files = Scope.ConfigJsonFiles();
            var untouched = Snapshots.UnchangedSince(SnapshotDir(rotation.OpenJournal.Id), files);
            var rewritten = files.Except(untouched).ToList();
            var census = Census.Take(Scope, Ring(rotation.OldKeys), rewritten);
            // The untouched files with no field at all (the env contract, a schedule) need no rewrap in the outage.
            var rest = new OfflineRewrap(Census.Take(Scope, Ring(rotation.OldKeys), untouched).Total > 0 ? untouched : []);
            if (census.UnderSecondary > 0)
            {
                Log.Warning("The app's config save left {Count} field(s) only V2 opens in files it rewrote (e.g. {Examples}); Rotate rewraps every file offline",
                    census.UnderSecondary, string.Join(", ", census.Examples.Where(f => f.KeyIndex > 0).Take(3).Select(f => $"config/{f.File} {f.JsonPath}")));
                rest = OfflineRewrap.All;
            }
            var note = $"the app saved {save.Saved} field(s) under the current V1 in {rewritten.Count} file(s), {census.UnderSecondary} left only V2 opens; " +
                       (rest.IsNone ? "no offline rewrap needed" : $"Rotate rewraps {rest.Describe} offline");
            return ((rest, note), Facts((JournalFacts.Detail, note)));
        });
}
