namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Production is rotated only on purpose: --confirm production, or a CI run that passed the GitHub environment's
/// approval gate (the workflow sets GITHUB_ENVIRONMENT to the approved environment's name).
/// </summary>
public static class ProductionGuard
{
    public const string Production = "production";

    public static bool IsConfirmed(string env, string? confirm, Func<string, string?> environment)
    {
        if (!string.Equals(env, Production, StringComparison.Ordinal)) return true;
        if (string.Equals(confirm, Production, StringComparison.Ordinal)) return true;
        return string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase)
               && string.Equals(environment("GITHUB_ENVIRONMENT"), Production, StringComparison.Ordinal);
    }

    public static void Check(string env, string? confirm) =>
        Check(env, confirm, Environment.GetEnvironmentVariable);

    public static void Check(string env, string? confirm, Func<string, string?> environment)
    {
        if (!IsConfirmed(env, confirm, environment)) throw new ProductionNotConfirmedException(env);
    }
}
