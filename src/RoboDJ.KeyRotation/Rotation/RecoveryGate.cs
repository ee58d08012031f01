using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The one gate of Resume and Rollback, for every plan (one host; phased over a Swarm service or a fleet), issue 19:
/// every input they will use is checked before their first change, so a refusal stops no app, restarts no replica,
/// restores nothing and creates nothing. The checks both plans share live here: the snapshot (its manifest and every
/// file's hash), the pre-rotation keys in the snapshot's .env against the journal's fingerprints, and the store read.
/// Each plan finds its journal and names which pairs it allows in the store (<c>KeyRotationWorkflow.Gate.cs</c>,
/// <c>PhasedRotation.Gate.cs</c>). A plan runs its gate before the lock is taken (read-only, so a refusal leaves no
/// file) and again under it, where the inputs can no longer change. Every problem is collected, so one refusal names
/// them all.
/// </summary>
public sealed class RecoveryGate(string target)
{
    readonly PreflightProblems problems = new();

    /// <summary>Set when the snapshot does not match its manifest: nothing may say to copy it anywhere.</summary>
    public string? UntrustedSnapshot { get; private set; }

    public T? Check<T>(Func<T> check) => problems.Check(check);

    public void Refuse(string problem) => problems.Add(problem);

    /// <summary>The snapshot's manifest and every file's hash, once the journal says the snapshot was taken.</summary>
    public void CheckSnapshot(RotationJournal journal, string snapshotDir)
    {
        if (!journal.HasEnded(RotationStep.Snapshot)) return;
        problems.Check(() =>
        {
            try { SnapshotStore.Check(snapshotDir); }
            catch (SnapshotCorruptException e)
            {
                UntrustedSnapshot = e.Message;
                throw;
            }
        });
    }

    /// <summary>The pre-rotation pair from the snapshot's .env (hash-checked), as the journal names it.</summary>
    public KeySlots? OldKeys(RotationJournal journal, string snapshotDir, string storeDescription) =>
        problems.Check(() => ReadOldKeys(journal, snapshotDir, storeDescription));

    public Task<KeySlots?> ReadAsync(ISecretStore store, CancellationToken cancellationToken) =>
        problems.CheckAsync(() => store.ReadAsync(cancellationToken));

    public void ThrowIfRefused()
    {
        if (problems.Count > 0) throw new GateRefusedException(target, problems);
    }

    /// <summary>The pre-rotation pair from the snapshot's .env (hash-checked); every store delivers to .env, so it is there.</summary>
    public static KeySlots ReadOldKeys(RotationJournal journal, string snapshotDir, string storeDescription)
    {
        var bytes = SnapshotStore.ReadVerified(snapshotDir, ".env");
        var dotenv = DotEnvFile.FromBytes(bytes, Path.Combine(snapshotDir, "files", ".env"));
        var source = $"the snapshot's .env of rotation {journal.Id}";
        var v1 = FernetKey.Parse(dotenv[KeySlots.PrimaryName], $"{source} ({KeySlots.PrimaryName})");
        var v2 = dotenv[KeySlots.SecondaryName] is { Length: > 0 } text ? FernetKey.Parse(text, $"{source} ({KeySlots.SecondaryName})") : null;
        var keys = new KeySlots(v1, v2);
        RequireOldFingerprints(journal, keys, storeDescription);
        return keys;
    }

    /// <summary>The journal's pre-rotation V1 is the one <paramref name="keys"/> hold.</summary>
    public static void RequireOldFingerprints(RotationJournal journal, KeySlots keys, string storeDescription)
    {
        var expected = journal.Fact(JournalFacts.OldPrimary);
        if (expected is not null && keys.Primary?.Fingerprint.ToString() != expected)
            throw new StoreDiffersFromJournalException(storeDescription, journal.FilePath, $"V1 {keys.Primary?.Fingerprint.ToString() ?? "absent"}", $"the pre-rotation V1 {expected}");
    }
}

/// <summary>A target's gate found inputs it cannot use: nothing was changed, the app was not stopped (exit 3).</summary>
public sealed class GateRefusedException(string target, IReadOnlyList<string> problems)
    : Exception($"{target} refused before any change ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was changed and the app was not stopped:\n  - " +
                string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
