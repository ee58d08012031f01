namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Which GitHub Actions secrets hold the keys: the repository's, or one environment's.</summary>
public sealed record GitHubSecretScope
{
    public const string RepositoryKind = "github-repository";
    public const string EnvironmentKind = "github-environment";

    GitHubSecretScope(string? environment) => Environment = environment;

    /// <summary>The GitHub environment's name, or null for repository secrets.</summary>
    public string? Environment { get; }

    public string Kind => Environment is null ? RepositoryKind : EnvironmentKind;

    public static GitHubSecretScope Repository { get; } = new((string?)null);

    public static GitHubSecretScope ForEnvironment(string environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        return new GitHubSecretScope(environment);
    }
}
