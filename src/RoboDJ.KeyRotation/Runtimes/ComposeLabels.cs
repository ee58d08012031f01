namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The labels compose puts on its containers; the only way we find them (names vary between v1 and v2).</summary>
public static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string OneOff = "com.docker.compose.oneoff";
}
