namespace RoboDJ.KeyRotation.Journal;

/// <summary>The names of the facts the workflow writes, so that readers and writers agree.</summary>
public static class JournalFacts
{
    public const string OldPrimary = "old_v1";
    public const string OldSecondary = "old_v2";
    public const string NewPrimary = "new_v1";
    public const string Snapshot = "snapshot";
    public const string LogOffset = "log_offset";
    public const string StartedAt = "started_at";
    public const string Error = "error";
    public const string Target = "target";
    public const string Rewrapped = "rewrapped";
    public const string Detail = "detail";
    /// <summary>Preflight's count of fields no key opens (--allow-undecryptable): what Verify may still find, on Resume too.</summary>
    public const string UndecryptableBefore = "undecryptable_before";
    /// <summary>On a RolledBack line: the rotation was closed before it changed anything (nothing for a Rollback to undo).</summary>
    public const string Refused = "refused";
    /// <summary>On a fenced holder's Failed line: what it had done under its lock token before another run took the lock over.</summary>
    public const string Fenced = "fenced";
}
