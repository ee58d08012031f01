namespace RoboDJ.KeyRotation.Announcements;

/// <summary>When the app will be down for the rotation, as announced. Always shown in UTC.</summary>
public sealed record RotationWindow
{
    public RotationWindow(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start) throw new ArgumentException($"the rotation window ends ({end:u}) before it starts ({start:u})", nameof(end));
        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
    }

    public DateTimeOffset Start { get; }
    public DateTimeOffset End { get; }

    public static RotationWindow Starting(DateTimeOffset start, TimeSpan length) => new(start, start + length);

    /// <summary>"14:00–14:05" with an en dash, as in the issue title.</summary>
    public string Times => $"{Start:HH:mm}\u2013{End:HH:mm}";

    public override string ToString() => $"{Start:yyyy-MM-dd} {Times} UTC";
}
