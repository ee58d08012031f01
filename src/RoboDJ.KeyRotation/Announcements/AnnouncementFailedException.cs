namespace RoboDJ.KeyRotation.Announcements;

/// <summary>A channel could not deliver and the policy makes that fatal (production). Nothing has been stopped yet.</summary>
public sealed class AnnouncementFailedException(string step, IReadOnlyList<ChannelResult> failures)
    : Exception($"{step}: {failures.Count} announcement channel(s) failed, and this environment may not rotate unannounced: " +
                string.Join("; ", failures.Select(f => f.ToString())) +
                ". Fix the channel (the error says how), or rerun when it is reachable.")
{
    public IReadOnlyList<ChannelResult> Failures { get; } = failures;
}
