using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Announcements;

/// <summary>A window notice for tests: staging, 2026-03-14 14:00–14:05 UTC, by alice, with fresh (canary) keys.</summary>
public sealed class NoticeBuilder
{
    string environment = "staging";
    DateTimeOffset start = new(2026, 3, 14, 14, 0, 0, TimeSpan.Zero);
    TimeSpan length = TimeSpan.FromMinutes(5);
    readonly List<string> broadcasts = [];

    public FernetKey OldPrimary { get; } = FernetKey.Generate();
    public FernetKey OldSecondary { get; } = FernetKey.Generate();

    public NoticeBuilder For(string env) { environment = env; return this; }
    public NoticeBuilder From(DateTimeOffset windowStart, TimeSpan windowLength) { start = windowStart; length = windowLength; return this; }
    public NoticeBuilder WithBroadcast(string name) { broadcasts.Add(name); return this; }

    public RotationNotice Build() => new(environment, RotationWindow.Starting(start, length), "alice",
        OldPrimary.Fingerprint, OldSecondary.Fingerprint, broadcasts.ToList(), "20260314T1400-abc123");
}
