using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Verification;

public sealed class DashboardCheckFailedException(string endpoint, string problem, string fix, bool refused = false)
    : Exception($"dashboard {endpoint}: {problem}. {fix}")
{
    /// <summary>The dashboard answered and said no (401/403), as opposed to not answering at all.</summary>
    public bool Refused { get; } = refused;
}

/// <summary>A dashboard address the pipeline will not talk to (not on 127.0.0.1, user info, not http); says where it came from.</summary>
public sealed class DashboardAddressRefusedException(string message) : Exception(message)
{
    public DashboardAddressRefusedException(Uri url)
        : this($"dashboard-url {UrlUserInfo.Hidden(url.ToString())} is not on 127.0.0.1; the pipeline talks only to 127.0.0.1. Publish the dashboard on 127.0.0.1 and set dashboard-url to it.") { }
}
