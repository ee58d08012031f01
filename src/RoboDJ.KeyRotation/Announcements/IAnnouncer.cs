namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// One channel that tells stakeholders about a rotation: the log, a GitHub issue, a chat webhook.
/// A channel throws when it cannot deliver; <see cref="AnnouncementChannels"/> collects that per channel.
/// </summary>
public interface IAnnouncer
{
    /// <summary>e.g. "log", "github-issue", "webhook".</summary>
    string Channel { get; }

    Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken);

    Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Opens an incident with the postmortem as its body (Rollback).</summary>
    Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken);
}

/// <summary>What a channel did: "opened issue #12", and where to see it, for the job summary.</summary>
public sealed record Delivery(string Detail, Uri? Link = null, bool Skipped = false);
