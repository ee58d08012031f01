using Octokit;
using RoboDJ.KeyRotation.GitHub;
using Serilog;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// All configured channels together (not named "Announcements", which would clash with this namespace). Each step runs every channel, even after one fails, and reports what each did;
/// whether a failure stops the run is the caller's call (<see cref="AnnouncementReport.Enforce"/>).
/// </summary>
public sealed class AnnouncementChannels
{
    readonly ILogger? logger;

    public AnnouncementChannels(IEnumerable<IAnnouncer> channels, ILogger? logger = null)
    {
        Channels = channels.ToList();
        this.logger = logger;
    }

    public IReadOnlyList<IAnnouncer> Channels { get; }

    ILogger Log => logger ?? Serilog.Log.ForContext<AnnouncementChannels>();

    /// <summary>
    /// The usual set: the log always; a GitHub issue when a client is given; the webhook when the options name one.
    /// </summary>
    public static AnnouncementChannels Configure(GitHubOptions? gitHub, IGitHubClient? client, HttpClient? http,
        WebhookOptions? webhook = null, ILogger? logger = null)
    {
        var channels = new List<IAnnouncer> { new LogAnnouncer(logger) };
        if (gitHub is not null && client is not null) channels.Add(new GitHubIssueAnnouncer(client, gitHub, logger: logger));
        if (gitHub?.WebhookUrl is { } url)
            channels.Add(new WebhookAnnouncer(http ?? throw new ArgumentNullException(nameof(http), "a webhook is configured, so an HttpClient is needed"), url, webhook, logger: logger));
        return new AnnouncementChannels(channels, logger);
    }

    public Task<AnnouncementReport> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken) =>
        RunAsync("announce", c => c.AnnounceAsync(notice, cancellationToken), cancellationToken);

    public Task<AnnouncementReport> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken) =>
        RunAsync("outcome", c => c.ReportOutcomeAsync(outcome, cancellationToken), cancellationToken);

    public Task<AnnouncementReport> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken) =>
        RunAsync("incident", c => c.OpenIncidentAsync(title, markdownBody, cancellationToken), cancellationToken);

    async Task<AnnouncementReport> RunAsync(string step, Func<IAnnouncer, Task<Delivery>> send, CancellationToken cancellationToken)
    {
        var results = new List<ChannelResult>();
        foreach (var channel in Channels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var delivery = await send(channel);
                results.Add(new ChannelResult(channel.Channel, true, delivery.Detail, delivery.Link));
                Log.Information("Announcement {Step} via {Channel}: {Detail}", step, channel.Channel, delivery.Detail);
            }
            catch (Exception e) when (e is not Effects.DryRunBreachException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                var detail = Pipeline.SecretRedactor.Redact(e.Message);
                results.Add(new ChannelResult(channel.Channel, false, detail, Error: e));
            }
        }
        return new AnnouncementReport(step, results);
    }
}
