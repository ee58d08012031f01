using Serilog;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>The channel that is always on: the run's own log (and so the Actions log and the CLEF file).</summary>
public sealed class LogAnnouncer(ILogger? logger = null) : IAnnouncer
{
    ILogger Log => logger ?? Serilog.Log.ForContext<LogAnnouncer>();

    public string Channel => "log";

    public Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken)
    {
        Log.Information("Announcing the key rotation of {Env} in the window {Window}, run by {Operator}: RoboDJ will restart; V1 {OldPrimary} becomes V2, V2 {OldSecondary} is retired; {BroadcastCount} broadcast(s) scheduled in the window {Broadcasts}",
            notice.Environment, notice.Window.ToString(), Redacted(notice.Operator), notice.OldPrimary?.ToString() ?? "(none)", notice.OldSecondary?.ToString() ?? "(none)",
            notice.UpcomingBroadcasts.Count, notice.UpcomingBroadcasts.Select(Redacted).ToList());
        return Task.FromResult(new Delivery("logged the window notice"));
    }

    public Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken)
    {
        Log.Write(outcome.Succeeded ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Error,
            "Key rotation of {Env}: {Outcome}. {Summary}" + (outcome.IncidentLink is null ? "" : " Incident: {Incident}"),
            outcome.Environment, AnnouncementText.Describe(outcome.Kind), Redacted(outcome.Summary), outcome.IncidentLink);
        return Task.FromResult(new Delivery("logged the outcome"));
    }

    // Broadcast names and summaries come from outside: redacted here as well as by the run's sinks, since a caller may log elsewhere.
    static string Redacted(string text) => Pipeline.SecretRedactor.Redact(text.ReplaceLineEndings(" ").Trim());

    public Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken)
    {
        // The body is the postmortem, which is already a file in config/incidents/; the title is enough here.
        Log.Error("Incident: {Title}", Pipeline.SecretRedactor.Redact(title));
        return Task.FromResult(new Delivery("logged the incident"));
    }
}
