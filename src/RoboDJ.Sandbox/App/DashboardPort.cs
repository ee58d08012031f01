namespace RoboDJ.Sandbox.App;

/// <summary>The port from ROBODJ_DASHBOARD_URL. Only the port is used: the app binds 127.0.0.1 whatever the host says.</summary>
static class DashboardPort
{
    public const int Default = 8765;

    public static int From(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return Default;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new UsageException($"{SandboxVariables.DashboardUrl} must be an http URL such as http://127.0.0.1:{Default}");
        return uri.Port;
    }
}
