namespace RoboDJ.Sandbox;

/// <summary>The variable names the app reads, from the process environment or the deployment's .env.</summary>
public static class SandboxVariables
{
    public const string Env = "ROBODJ_ENV";
    public const string V1 = "ROBODJ_SECRET_KEY";
    public const string V2 = "ROBODJ_SECRET_V2_KEY";
    public const string DashboardUrl = "ROBODJ_DASHBOARD_URL";
    public const string DashboardPassword = "ROBODJ_DASHBOARD_PASSWORD";
    /// <summary>Optional: how long a dashboard session lasts, in seconds (default 12 h).</summary>
    public const string SessionTtlSeconds = "ROBODJ_SESSION_TTL_SECONDS";
    public const string Root = "ROBODJ_ROOT";
}
