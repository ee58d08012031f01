namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// A channel the env names but this run cannot set up (no repository, no GITHUB_TOKEN, no WEBHOOK_URL). It fails the
/// announcement with the reason, so that the env's policy decides at Announce, after the production guard: production
/// refuses, staging warns. With nothing announced there is nothing to follow up, so the outcome and incident skip it.
/// </summary>
public sealed class UnavailableAnnouncer(string channel, string reason) : IAnnouncer
{
    public string Channel => channel;

    public Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"the {channel} channel is not set up: {reason}");

    public Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken) =>
        Task.FromResult(new Delivery($"not set up ({reason})", Skipped: true));

    public Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken) =>
        Task.FromResult(new Delivery($"not set up ({reason})", Skipped: true));
}
