namespace RoboDJ.KeyRotation.Announcements;

/// <summary>Whether a channel that fails stops the run. DESIGN §4: production may not rotate unannounced; staging may.</summary>
public enum AnnouncementPolicy
{
    FailuresAreWarnings,
    FailuresAreFatal,
}

public static class AnnouncementPolicies
{
    public static AnnouncementPolicy ForEnvironment(string environment) =>
        string.Equals(environment, "production", StringComparison.OrdinalIgnoreCase)
            ? AnnouncementPolicy.FailuresAreFatal
            : AnnouncementPolicy.FailuresAreWarnings;
}
