namespace RoboDJ.KeyRotation.Announcements;

/// <summary>One channel's result within an <see cref="AnnouncementReport"/>.</summary>
/// <param name="Error">The failure, when <see cref="Succeeded"/> is false; its message is already redacted.</param>
public sealed record ChannelResult(string Channel, bool Succeeded, string Detail, Uri? Link = null, Exception? Error = null)
{
    public override string ToString() => Succeeded ? $"{Channel}: {Detail}" : $"{Channel}: FAILED: {Detail}";
}
