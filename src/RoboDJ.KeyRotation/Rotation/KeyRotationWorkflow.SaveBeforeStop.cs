using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Issue 14's re-sequencing: the app, the single writer of its config, saves it under the current keys while it still
/// runs, so every field it holds is under V1 before Stop and the shift may drop V2 without an offline rewrap of them in
/// the outage. Files the save left byte for byte as they were just before it (folders the app skips, such as logs/)
/// are rewrapped offline by Rotate as before; a census of the rewritten ones proves that none still needs V2.
/// A save that fails while every field still opens is a refusal: nothing was rotated, the journal is closed and the
/// lock released (exit 3). A save that wrote fields no key of the store opens needs the snapshot back: Rollback.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    string DescribeSaveBeforeStop() =>
        "would have the app save its config under the current keys (every field it holds moves to V1) and prove it by a census";

    async Task<(OfflineRewrap Offline, string Note)> SaveBeforeStopAsync(OpenedRotation rotation, DashboardSession session, CancellationToken cancellationToken)
    {
        var open = rotation.OpenJournal;
        try
        {
            return await Step(open, RotationStep.SaveBeforeStop, null, async () =>
            {
                var result = await SaveAndClassifyAsync(rotation, session, cancellationToken);
                return (result, Facts((JournalFacts.Detail, result.Note)));
            });
        }
        catch (SaveBeforeStopRefusedException refused)
        {
            TryJournal(() => open.Ended(RotationStep.RolledBack, Facts((JournalFacts.Refused, RotationTargets.Stop),
                (JournalFacts.Detail, SecretRedactor.Redact("refused before Stop, nothing rotated: " + refused.Problem)))));
            ReleaseLock();
            throw;
        }
    }

    async Task<(OfflineRewrap Offline, string Note)> SaveAndClassifyAsync(OpenedRotation rotation, DashboardSession session, CancellationToken cancellationToken)
    {
        using var client = Dashboard(out _) ?? throw new InvalidOperationException("The dashboard Preflight logged in to is no longer configured.");
        var ring = Ring(rotation.OldKeys);
        var before = HashesOf(Scope.ConfigJsonFiles());
        ConfigSaveResult? save = null;
        string? saveFailed = null;
        try { save = await client.SaveConfigAsync(session, cancellationToken); }
        catch (DashboardCheckFailedException e) { saveFailed = e.Message; }

        var files = Scope.ConfigJsonFiles();
        var after = HashesOf(files);
        var untouched = files.Where(f => before.GetValueOrDefault(f.Relative) is { } hash && hash == after.GetValueOrDefault(f.Relative)).ToList();
        var rewritten = files.Except(untouched).ToList();
        var census = Census.Take(Scope, ring, rewritten);
        var rest = Census.Take(Scope, ring, untouched);
        var undecryptable = census.Undecryptable.Count + rest.Undecryptable.Count;
        if (undecryptable > rotation.UndecryptableBefore)
            throw new VerificationFailedException($"after the app's config save before Stop, {undecryptable} field(s) open with neither V1 nor V2 " +
                $"(Preflight found {rotation.UndecryptableBefore}), e.g. {string.Join(", ", census.Undecryptable.Concat(rest.Undecryptable).Take(5).Select(f => $"config/{f.File} {f.JsonPath}"))}: " +
                $"the app wrote them under a key {store.Description} does not hold. Rollback restores the snapshot taken before the save.");
        if (saveFailed is not null)
            throw new SaveBeforeStopRefusedException($"the app's config save before Stop failed ({saveFailed})",
                $"check that the app runs and answers (./build.sh Verify --env {settings.Env}), then run Rotate again, or run it with --rewrap-by offline");
        if (save!.DecryptionErrors.Count > rotation.UndecryptableBefore)
            throw new SaveBeforeStopRefusedException($"the app's config save before Stop reported {save.DecryptionErrors.Count} decryption error(s) " +
                $"({string.Join(", ", save.DecryptionErrors.Take(5))}), more than the {rotation.UndecryptableBefore} undecryptable field(s) Preflight found",
                $"the app does not run with a key {store.Description} holds (its V2?): restart it so that it loads the store's keys, then run Rotate again");
        // With the rewrap off nothing moves in the outage: a field only V2 opens would be lost, and one the save did not
        // rewrite would fail Verify's census after the outage.
        var notMovedBySave = census.UnderSecondary + rest.Decryptable;
        if (notMovedBySave > 0 && !options.Rewrap)
            throw new SaveBeforeStopRefusedException($"with the rewrap off (--rewrap false), {notMovedBySave} field(s) the app's save did not move to V1 " +
                $"would stay under a key the shift drops or demotes (e.g. {string.Join(", ", census.Examples.Where(f => f.KeyIndex > 0).Concat(rest.Examples).Take(3).Select(f => $"config/{f.File} {f.JsonPath}"))})",
                "run Rotate with the rewrap on (the default)");

        // The untouched files with no field that opens (the env contract, a schedule) need no rewrap in the outage.
        var offline = new OfflineRewrap(rest.Decryptable > 0 ? untouched : [],
            files.ToDictionary(f => f.Relative, f => FileStamp.Of(f.Path) ?? default, StringComparer.Ordinal));
        if (census.UnderSecondary > 0)
        {
            Log.Warning("The app's config save left {Count} field(s) only V2 opens in files it rewrote (e.g. {Examples}); Rotate rewraps every file offline",
                census.UnderSecondary, string.Join(", ", census.Examples.Where(f => f.KeyIndex > 0).Take(3).Select(f => $"config/{f.File} {f.JsonPath}")));
            offline = OfflineRewrap.All;
        }
        var note = $"the app saved {save.Saved} field(s) under the current V1 in {rewritten.Count} file(s), {census.UnderSecondary} left only V2 opens; " +
                   (offline.IsNone ? "no offline rewrap needed" : $"Rotate rewraps {offline.Describe} offline");
        return (offline, note);
    }

    /// <summary>Each file's hash; a file gone or unreadable meanwhile has none, so it counts as changed by the save.</summary>
    static Dictionary<string, string?> HashesOf(IEnumerable<ScopeFile> files) => files.ToDictionary(f => f.Relative, f =>
    {
        try { return FileContentHash.Of(f.Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (string?)null; }
    }, StringComparer.Ordinal);
}
