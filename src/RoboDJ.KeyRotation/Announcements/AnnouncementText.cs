using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// The words every channel uses, so the issue, the chat message and the log say the same thing. Every text goes
/// through the redactor last, because broadcast names and summaries come from outside.
/// </summary>
public static class AnnouncementText
{
    /// <summary>"Key rotation: staging, 14:00–14:05 UTC".</summary>
    public static string Title(RotationNotice notice) => $"Key rotation: {notice.Environment}, {notice.Window.Times} UTC";

    public static string Markdown(RotationNotice notice)
    {
        var text = new StringBuilder()
            .AppendLine($"The RoboDJ keys of **{notice.Environment}** will be rotated in the window **{notice.Window}**. " +
                        "The app is stopped and restarted during it.")
            .AppendLine()
            .AppendLine("| | |")
            .AppendLine("|---|---|")
            .AppendLine($"| Environment | {Cell(notice.Environment)} |")
            .AppendLine($"| Window | {notice.Window} |")
            .AppendLine($"| Operator | {Cell(notice.Operator)} |");
        if (notice.RotationId is not null) text.AppendLine($"| Rotation id | `{Cell(notice.RotationId)}` |");
        text.AppendLine($"| Current V1 ({KeySlots.PrimaryName}) | {Show(notice.OldPrimary)} (becomes V2) |")
            .AppendLine($"| Current V2 ({KeySlots.SecondaryName}) | {Show(notice.OldSecondary)} (retired) |")
            .AppendLine()
            .AppendLine(notice.UpcomingBroadcasts.Count == 0
                ? "No broadcasts are scheduled inside the window."
                : $"**{notice.UpcomingBroadcasts.Count} broadcast(s) scheduled inside the window** may be interrupted; pause or watch them:");
        foreach (var broadcast in notice.UpcomingBroadcasts) text.AppendLine($"- {OneLine(broadcast)}");
        return SecretRedactor.Redact(text.ToString());
    }

    public static string Plain(RotationNotice notice)
    {
        var broadcasts = notice.UpcomingBroadcasts.Count == 0
            ? "No broadcasts scheduled in the window."
            : $"Broadcasts in the window: {string.Join(", ", notice.UpcomingBroadcasts.Select(OneLine))}.";
        return SecretRedactor.Redact(
            $"{Title(notice)} ({notice.Window.Start:yyyy-MM-dd}), run by {notice.Operator}. RoboDJ will restart. " +
            $"V1 {Show(notice.OldPrimary)} becomes V2; V2 {Show(notice.OldSecondary)} is retired. {broadcasts}");
    }

    public static string OutcomeMarkdown(RotationOutcome outcome)
    {
        var text = new StringBuilder()
            .AppendLine($"**Outcome: {Describe(outcome.Kind)}.** {OneLine(outcome.Summary)}")
            .AppendLine();
        if (outcome.Primary is not null || outcome.Secondary is not null)
            text.AppendLine($"Keys in effect: V1 {Show(outcome.Primary)}, V2 {Show(outcome.Secondary)}.");
        if (outcome.IncidentLink is not null) text.AppendLine($"Incident: {outcome.IncidentLink}");
        if (outcome.Kind == OutcomeKind.RollbackFailed)
            text.AppendLine("The rollback did not complete: **manual steps are needed**, see the run's log and postmortem.");
        return SecretRedactor.Redact(text.ToString());
    }

    public static string OutcomePlain(RotationOutcome outcome) => SecretRedactor.Redact(
        $"Key rotation of {outcome.Environment}: {Describe(outcome.Kind)}. {OneLine(outcome.Summary)}" +
        (outcome.IncidentLink is null ? "" : $" Incident: {outcome.IncidentLink}"));

    public static string Describe(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Succeeded => "succeeded",
        OutcomeKind.RolledBack => "failed, rolled back cleanly",
        OutcomeKind.RollbackFailed => "failed, and the rollback failed",
        _ => "failed before any change",
    };

    static string Show(Fingerprint? fingerprint) => fingerprint is null ? "(none)" : $"`{fingerprint}`";
    static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
    static string Cell(string text) => OneLine(text).Replace("|", "\\|");
}
