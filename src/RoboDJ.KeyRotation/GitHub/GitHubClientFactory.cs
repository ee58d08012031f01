using Octokit;
using Octokit.Internal;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// The one place an Octokit client is made, so that every client has the token registered for redaction, a timeout,
/// and the tool's HTTP handler (no redirect followed, answers bounded).
/// </summary>
public static class GitHubClientFactory
{
    public const string TokenVariable = "GITHUB_TOKEN";
    static readonly ProductHeaderValue product = new("RoboDJ-KeyRotation");

    public static IGitHubClient Create(GitHubOptions options, string token)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(token)) throw MissingToken();
        // Registered before the client exists, so that no error raised while it is used can show the token.
        SecretRedactor.Register(token);
        // Octokit follows a redirect to the same host with the token, whatever the port; our handler refuses every one
        // before Octokit sees it, and bounds the answers (Http/BoundedHttp.cs).
        var connection = new Connection(product, ApiRoot(options), new InMemoryCredentialStore(new Credentials(token)),
            new HttpClientAdapter(() => Http.BoundedHttp.Handler()), new SimpleJsonSerializer());
        var client = new GitHubClient(connection);
        client.SetRequestTimeout(options.RequestTimeout);
        return client;
    }

    /// <summary>Reads GITHUB_TOKEN from the environment the caller passes (the workflow passes it from secrets).</summary>
    public static string TokenFrom(IReadOnlyDictionary<string, string?> environment)
    {
        environment.TryGetValue(TokenVariable, out var token);
        if (string.IsNullOrWhiteSpace(token)) throw MissingToken();
        SecretRedactor.Register(token);
        return token;
    }

    /// <summary>The API root the client talks to, for messages (no credentials in it).</summary>
    public static Uri ApiRoot(GitHubOptions options) =>
        options.BaseUrl is null ? GitHubClient.GitHubApiUrl : new Uri(options.BaseUrl, "api/v3/");

    static GitHubAccessException MissingToken() => new(
        $"GitHub: {TokenVariable} is not set. Fix: pass a token with `secrets: write` and `issues: write` as {TokenVariable} (in Actions: env: {TokenVariable}: ${{{{ secrets.GITHUB_TOKEN }}}}).",
        operation: "authenticate", statusCode: null);
}
