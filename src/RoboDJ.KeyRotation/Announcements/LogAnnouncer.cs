using Serilog;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>The channel that is always on: the run's own log (and so the Actions log and the CLEF file).</summary>
public sealed class LogAnnouncer(ILogger? logger = null) : IAnnouncer
{
    ILogger Log => logger ?? Serilog.Log.ForContext<LogAnnouncer>();

    public string Channel => "log";

    public Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken)
    {
        Log.Information("Announcing: {Notice}", AnnouncementText.Plain(notice));
        return Task.FromResult(new Delivery("logged the window notice"));
    }

    public Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Succeeded) Log.Information("{Outcome}", AnnouncementText.OutcomePlain(outcome));
        else Log.Error("{Outcome}", AnnouncementText.OutcomePlain(outcome));
        return Task.FromResult(new Delivery("logged the outcome"));
    }

    public Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken)
    {
        // The body is the postmortem, which is already a file in config/incidents/; the title is enough here.
        Log.Error("Incident: {Title}", Pipeline.SecretRedactor.Redact(title));
        return Task.FromResult(new Delivery("logged the incident"));
    }
}
