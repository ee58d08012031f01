using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Snapshots;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Preflight found problems; each line names the file, the line or JSON path, and the fix.</summary>
public sealed class PreflightFailedException(IReadOnlyList<string> problems)
    : Exception($"Preflight refused the rotation ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was changed:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>A rotation died half-way; starting another would shift the new key into V2 and lose the old one.</summary>
public sealed class UnfinishedRotationException(RotationJournal journal)
    : Exception($"{journal.FilePath}: rotation {journal.Id} ({journal.Env}, by {journal.Actor}) is unfinished " +
                $"(last completed step: {journal.LastCompletedStep?.ToString() ?? "none"}). A new rotation would shift keys twice. " +
                $"Run `./build.sh Resume --env {journal.Env}` to finish it, or `./build.sh Rollback --env {journal.Env}` to restore the keys and config from before it.");

public sealed class ProductionNotConfirmedException(string env)
    : Exception($"--env {env} needs --confirm {env} on the command line (or, in a GitHub Actions job, the approval of the GitHub environment {env}); nothing was changed.");

public sealed class NothingToResumeException(string keyRotationDir)
    : Exception($"{keyRotationDir}: no unfinished rotation to resume. Start a new one with `./build.sh Rotate --env <env>`.");

/// <summary>A phased (replicated) rotation's journal: only its own targets know its phases and where its keys live.</summary>
public sealed class PhasedJournalException(RoboDJ.KeyRotation.Journal.RotationJournal journal, string target)
    : Exception($"{journal.FilePath}: rotation {journal.Id} is a phased rotation of replicas, which {target} does not know how to continue. " +
                $"Run `./build.sh {target}Phased --env {journal.Env}` instead; nothing was changed.")
{
    public static void ThrowIf(RoboDJ.KeyRotation.Journal.RotationJournal journal, string target)
    {
        if (journal.Fact(Phased.PhasedFacts.Protocol) == Phased.PhasedFacts.ProtocolName) throw new PhasedJournalException(journal, target);
    }
}

public sealed class NothingToRollBackException : Exception
{
    public NothingToRollBackException(string keyRotationDir)
        : base($"{keyRotationDir}: no rotation journal with a snapshot to roll back to. Restore by hand with `python config/scripts/startup_safety.py --guided-restore`.") { }

    /// <summary>The latest rotation was refused at <paramref name="refusedAt"/> before it changed anything.</summary>
    public NothingToRollBackException(RotationJournal latest, string refusedAt)
        : base($"The latest rotation {latest.Id.Value} ({latest.FilePath}) was refused at {refusedAt} before it changed anything, so there is nothing " +
               "to roll back; restoring its snapshot would only revert the edits made since. Nothing was changed. " +
               "If the keys or the config are wrong, run ./build.sh Status to see what is, or restore by hand with `python config/scripts/startup_safety.py --guided-restore`.") { }
}

/// <summary>The store holds keys that match neither side of the journaled shift: someone changed it by hand.</summary>
public sealed class StoreDiffersFromJournalException(string store, string journal, string found, string expected, string fix = "run Rollback to return to the snapshot")
    : Exception($"{store} holds {found}, but {journal} expects {expected}. The store was changed outside this rotation; " +
                $"check who changed it, then {fix}.");

public sealed class VerificationFailedException(string problem)
    : Exception($"Verify failed: {problem}");

/// <summary>Rollback itself failed: the deployment needs a person. The message lists the manual steps.</summary>
public sealed class RollbackFailedException(string rotation, string snapshot, Exception cause)
    : Exception($"Rollback of rotation {rotation} failed: {Pipeline.SecretRedactor.Redact(cause.Message)}", cause)
{
    public string Rotation { get; } = rotation;
    public string Snapshot { get; } = snapshot;
}

/// <summary>The app runs with the restored keys, but some files could not be put back: a person must look at them.</summary>
public sealed class RestoreIncompleteException(IReadOnlyList<RestoreFailure> failed)
    : Exception($"{failed.Count} file(s) were not restored: {string.Join("; ", failed.Take(5).Select(f => $"{f.Path} ({f.Reason})"))}. " +
                "Fix what the reason names (e.g. chattr -i, permissions), then run Rollback once more.");

/// <summary>The app's config save before Stop could not be trusted, but nothing was rotated: a refusal (exit 3).</summary>
public sealed class SaveBeforeStopRefusedException(string problem, string fix)
    : Exception($"Refused before Stop: {problem}. Nothing was rotated: the keys and the config are as they were (every field opens " +
                $"with the current keys), the journal is closed and the lock released. Fix: {fix}.")
{
    public string Problem { get; } = problem;
}
