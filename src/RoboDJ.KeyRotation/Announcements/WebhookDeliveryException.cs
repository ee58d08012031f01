namespace RoboDJ.KeyRotation.Announcements;

/// <summary>The webhook did not take the message. The message names the host only: a webhook URL carries its own token.</summary>
public sealed class WebhookDeliveryException(string message, int attempts, int? lastStatus)
    : Exception(Pipeline.SecretRedactor.Redact(message))
{
    public int Attempts { get; } = attempts;
    public int? LastStatus { get; } = lastStatus;
}
