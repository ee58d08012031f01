namespace RoboDJ.KeyRotation.Verification;

public sealed class DashboardCheckFailedException(string endpoint, string problem, string fix, bool refused = false)
    : Exception($"dashboard {endpoint}: {problem}. {fix}")
{
    /// <summary>The dashboard answered and said no (401/403), as opposed to not answering at all.</summary>
    public bool Refused { get; } = refused;
}

public sealed class NonLoopbackAddressException(Uri url)
    : Exception($"dashboard-url {url} is not on 127.0.0.1; the pipeline talks only to 127.0.0.1. Publish the dashboard on 127.0.0.1 and set dashboard-url to it.");
