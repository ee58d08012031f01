namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Production is rotated only on purpose: --confirm production (the command line only), or a GitHub Actions job that
/// passed the GitHub environment's approval gate (GITHUB_ENVIRONMENT names the approved environment). That approval
/// counts only under GITHUB_ACTIONS=true: CI=true or a GITHUB_ENVIRONMENT exported in a shell is no approval.
/// </summary>
public static class ProductionGuard
{
    public const string Production = "production";

    /// <summary>The GitHub environment whose approval this job passed, or null outside GitHub Actions.</summary>
    public static string? ApprovedEnvironment(Func<string, string?> environment) =>
        string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase) && environment("GITHUB_ENVIRONMENT") is { Length: > 0 } approved
            ? approved : null;

    public static bool IsConfirmed(string env, string? confirm, string? approvedEnvironment) =>
        !string.Equals(env, Production, StringComparison.Ordinal)
        || string.Equals(confirm, Production, StringComparison.Ordinal)
        || string.Equals(approvedEnvironment, Production, StringComparison.Ordinal);

    public static void Check(string env, string? confirm, string? approvedEnvironment)
    {
        if (!IsConfirmed(env, confirm, approvedEnvironment)) throw new ProductionNotConfirmedException(env);
    }
}
