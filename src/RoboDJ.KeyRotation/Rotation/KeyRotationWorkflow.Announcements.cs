using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Telling people: the window notice (log, GitHub issue, webhook), the closing outcome, and the incident on Rollback.
/// The GitHub issue's number goes into the journal, so a later Resume or Rollback comments on the same issue.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    /// <summary>The journal fact that holds the announcement issue's number.</summary>
    public const string AnnouncementIssueFact = "announcement_issue";

    /// <summary>The channels to announce on; null means the log only.</summary>
    public AnnouncementChannels? Announcements { get; init; }

    /// <summary>--allow-broadcasts: production may rotate while broadcasts are scheduled inside the window.</summary>
    public bool AllowBroadcasts { get; init; }

    /// <summary>What each channel did with the window notice; null until Announce delivered it (never in a dry run).</summary>
    public AnnouncementReport? Announcement { get; private set; }
    public AnnouncementReport? Incident { get; private set; }
    public AnnouncementReport? Outcome { get; private set; }

    /// <summary>The keys before the rotation (from Preflight or the snapshot), the new V1 once written, and Preflight's census: for the reports.</summary>
    KeySlots? OldKeys { get; set; }
    FernetKey? NewKey { get; set; }
    public CensusReport? CensusBefore { get; private set; }
    public Fingerprint? OldPrimary => OldKeys?.Primary?.Fingerprint;
    public Fingerprint? OldSecondary => OldKeys?.Secondary?.Fingerprint;
    public Fingerprint? NewPrimary => NewKey?.Fingerprint;

    AnnouncementChannels Channels => Announcements ?? new AnnouncementChannels([new LogAnnouncer()]);
    GitHubIssueAnnouncer? GitHubChannel => Announcements?.Channels.OfType<GitHubIssueAnnouncer>().FirstOrDefault();

    /// <summary>The issue the announcement went to, as text for the journal; null without the github channel.</summary>
    string? AnnouncementIssue => GitHubChannel?.IssueNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runbook §1–§2: the production guard, the broadcasts inside the window, then every channel.</summary>
    async Task<string> AnnounceWindowAsync(KeySlots keys, CancellationToken cancellationToken)
    {
        ProductionGuard.Check(settings.Env, options.Confirm, options.ApprovedEnvironment);
        var window = RotationWindow.Starting(DateTimeOffset.UtcNow, Window);
        var broadcasts = await BroadcastsInWindowAsync(window, cancellationToken);
        if (broadcasts.Count > 0 && settings.Env == ProductionGuard.Production && !AllowBroadcasts)
            throw new BroadcastsInWindowException(settings.Env, broadcasts);
        var notice = new RotationNotice(settings.Env, window, actor, keys.Primary!.Fingerprint, keys.Secondary?.Fingerprint, broadcasts);
        return await Change(ChannelsKind, () => $"would announce on {string.Join(", ", Channels.Channels.Select(c => c.Channel))}: {AnnouncementText.Plain(notice)}", async () =>
        {
            Announcement = (await Channels.AnnounceAsync(notice, cancellationToken)).Enforce(AnnouncementPolicies.ForEnvironment(settings.Env));
            var delivered = string.Join("; ", Announcement.Channels.Select(c => c.ToString()));
            return $"{AnnouncementText.Title(notice)}; {delivered}";
        });
    }

    /// <summary>What telling people touches: GitHub when the github channel is on, else a chat webhook or only the log.</summary>
    ChangeKind ChannelsKind => GitHubChannel is not null ? ChangeKind.GitHub
        : Channels.Channels.Any(c => c is WebhookAnnouncer) ? ChangeKind.Http : ChangeKind.Log;

    /// <summary>Broadcasts the dashboard lists inside the window; a dashboard that cannot say is a warning, not a stop.</summary>
    async Task<IReadOnlyList<string>> BroadcastsInWindowAsync(RotationWindow window, CancellationToken cancellationToken)
    {
        using var client = Dashboard(out _);
        if (client is null) return [];
        try
        {
            var list = await client.UpcomingBroadcastsAsync(window.End - window.Start, cancellationToken);
            var names = list.Select(b => $"'{b.Title}' at {b.StartsAt.UtcDateTime:HH:mm} UTC").ToList();
            if (names.Count > 0) Log.Warning("Broadcasts scheduled inside the window: {Broadcasts}; pause or watch them (runbook §1)", string.Join(", ", names));
            return names;
        }
        catch (DashboardCheckFailedException e)
        {
            Log.Warning("Could not list upcoming broadcasts: {Error}", e.Message);
            return [];
        }
    }

    /// <summary>Rollback, then the incident (whether or not the rollback itself held), with the postmortem as its body.</summary>
    public async Task<string> RollbackAndReportAsync(CancellationToken cancellationToken)
    {
        try { return await RollbackAsync(cancellationToken); }
        finally { await OpenIncidentAsync(); }
    }

    async Task OpenIncidentAsync()
    {
        // A dry run wrote no postmortem (its Rollback was only recorded), so there is nothing to open.
        if (PostmortemPath is null || !File.Exists(PostmortemPath)) return;
        var rolledBack = journal?.IsFinished == true;
        var title = $"Incident: key rotation of {settings.Env} {(rolledBack ? "failed and was rolled back" : "failed, and so did its rollback")}" +
                    (RotationId is { } id ? $" ({id})" : "");
        // The rollback is done or failed on its own terms; reporting it must not take longer than a request or two.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            Incident = await Channels.OpenIncidentAsync(title, await File.ReadAllTextAsync(PostmortemPath, timeout.Token), timeout.Token);
            Incident.Enforce(AnnouncementPolicy.FailuresAreWarnings);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            Log.Warning("Could not open the incident: {Error}", SecretRedactor.Redact(e.Message));
        }
    }

    /// <summary>
    /// After Verify, Resume or Rollback: the outcome on every channel (the GitHub issue is closed on success). Only a run
    /// that announced, or that continued a journaled rotation, has anyone to tell.
    /// </summary>
    public async Task ReportOutcomeAsync(OutcomeKind kind, CancellationToken cancellationToken)
    {
        var continued = journal is not null && (targetsRun.Contains(RotationTargets.Resume) || targetsRun.Contains(RotationTargets.Rollback));
        // A dry run announced nothing and continued no journal (both were only recorded), so it has no one to tell.
        if (Announcement is null && !continued) return;
        if (GitHubChannel is { IssueNumber: null } gitHub && long.TryParse(journal?.Fact(AnnouncementIssueFact), out var issue))
            gitHub.ContinueWith(issue);
        var inEffect = kind == OutcomeKind.Succeeded
            ? (Primary: NewPrimary, Secondary: OldPrimary)
            : kind == OutcomeKind.RolledBack || ClosedUnrotated ? (Primary: OldPrimary, Secondary: OldSecondary) : (null, null);
        var summary = kind switch
        {
            OutcomeKind.Succeeded => $"rotation {RotationId} completed and verified",
            OutcomeKind.RolledBack when FailedTarget is null => $"rotation {RotationId} rolled back by hand (Rollback)",
            _ when ClosedUnrotated => $"rotation {RotationId} ended before Stop ({(Failure is null or OperationCanceledException ? "cancelled" : $"{FailedTarget} failed: {SecretRedactor.Redact(Failure.Message).ReplaceLineEndings(" ")}")}): " +
                                      "nothing was rotated and the app kept running on its keys",
            _ => $"{FailedTarget ?? "a target"} failed: {SecretRedactor.Redact(Failure?.Message ?? "see the run's log").ReplaceLineEndings(" ")}",
        };
        var incident = Incident?.Links.Select(l => l.Link).FirstOrDefault();
        var outcome = new RotationOutcome(kind, settings.Env, summary, inEffect.Primary, inEffect.Secondary, incident);
        Outcome = (await Channels.ReportOutcomeAsync(outcome, cancellationToken)).Enforce(AnnouncementPolicy.FailuresAreWarnings);
    }
}
