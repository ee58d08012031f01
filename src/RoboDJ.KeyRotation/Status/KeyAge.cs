using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Status;

/// <summary>When a key became V1, from the journal of the rotation that made it; unknown when no journal of ours did.</summary>
public sealed record KeyAge(Fingerprint Key, DateTimeOffset? CurrentSince, string? RotationId)
{
    public TimeSpan? AgeAt(DateTimeOffset now) => CurrentSince is { } since ? now - since : null;

    /// <summary>The newest completed rotation whose new V1 is <paramref name="key"/>.</summary>
    public static KeyAge Of(Fingerprint key, IEnumerable<RotationJournal> journals)
    {
        foreach (var journal in journals.Reverse())
        {
            var entries = journal.Entries;
            var completed = entries.LastOrDefault(e => e.Step == RotationStep.Completed && e.Phase == StepPhase.Ended);
            if (completed is null) continue;
            if (journal.Fact(JournalFacts.NewPrimary) == key.ToString()) return new KeyAge(key, completed.At, journal.Id.Value);
        }
        return new KeyAge(key, null, null);
    }
}
