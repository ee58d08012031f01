namespace RoboDJ.KeyRotation.Announcements;

/// <summary>How hard to try a chat webhook. Defaults keep the worst case under a minute, inside the Announce step.</summary>
public sealed record WebhookOptions
{
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Wait before the second attempt; doubled before each later one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
}
