using Serilog;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>What every channel did for one step (announce, outcome, incident), so the summary can link to it.</summary>
/// <param name="Step">"announce", "outcome" or "incident".</param>
public sealed record AnnouncementReport(string Step, IReadOnlyList<ChannelResult> Channels)
{
    public bool AllSucceeded => Channels.All(c => c.Succeeded);
    public IReadOnlyList<ChannelResult> Failures => Channels.Where(c => !c.Succeeded).ToList();

    /// <summary>Links worth showing (issue, comment), by channel.</summary>
    public IReadOnlyList<(string Channel, Uri Link)> Links =>
        Channels.Where(c => c.Link is not null).Select(c => (c.Channel, c.Link!)).ToList();

    /// <summary>
    /// Applies the caller's policy: throws <see cref="AnnouncementFailedException"/> when failures are fatal, otherwise
    /// logs each failure as a warning. Returns this report either way, for the summary.
    /// </summary>
    public AnnouncementReport Enforce(AnnouncementPolicy policy, ILogger? logger = null)
    {
        var failures = Failures;
        if (failures.Count == 0) return this;
        if (policy == AnnouncementPolicy.FailuresAreFatal) throw new AnnouncementFailedException(Step, failures);
        var log = logger ?? Log.ForContext<AnnouncementReport>();
        foreach (var failure in failures)
            log.Warning("Announcement channel {Channel} failed at {Step}; going on, as this environment allows: {Detail}", failure.Channel, Step, failure.Detail);
        return this;
    }
}
