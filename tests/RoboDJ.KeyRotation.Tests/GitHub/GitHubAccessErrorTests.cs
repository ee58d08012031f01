using System.Net;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;
using RoboDJ.KeyRotation.Tests.Announcements;
using Sodium;

namespace RoboDJ.KeyRotation.Tests.GitHub;

public sealed class GitHubAccessErrorTests : IDisposable
{
    readonly FakeGitHub github = new();
    readonly FernetKey primary = FernetKey.Generate();
    readonly FernetKey secondary = FernetKey.Generate();
    readonly CapturedLog log = new();

    public void Dispose() => github.Dispose();

    GitHubSecretStore Store(GitHubSecretScope scope, TimeSpan? maxRateLimitWait = null) =>
        new(github.Client(), github.Options(maxRateLimitWait: maxRateLimitWait), scope, new Dictionary<string, string?>(), logger: log.Logger);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_401_says_the_token_is_invalid_or_expired_and_names_GITHUB_TOKEN()
    {
        github.OnError("GET", "environments/staging/secrets/public-key", 401, "Bad credentials");

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => Store(GitHubSecretScope.ForEnvironment("staging")).CheckWritableAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(
            "GitHub: could not read the secrets public key of environment 'staging' of acme/robodj: 401 Unauthorized, the token is invalid or expired " +
            "(GitHub said: Bad credentials). Fix: set GITHUB_TOKEN to a valid token with `secrets: read`.",
            error.Message);
    }

    [Fact]
    public async Task A_403_on_a_secret_write_names_the_secrets_write_permission_and_environment_protection()
    {
        var keys = PublicKeyBox.GenerateKeyPair();
        github.On("GET", "environments/production/secrets/public-key", 200, FakeGitHub.PublicKey("k", keys.PublicKey))
              .OnError("PUT", "environments/production/secrets/ROBODJ_SECRET_V2_KEY", 403, "Resource not accessible by integration");

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() =>
            Store(GitHubSecretScope.ForEnvironment("production")).WriteAsync(new KeySlots(primary, secondary), Ct));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.StartsWith("GitHub: could not write secret ROBODJ_SECRET_V2_KEY of environment 'production' of acme/robodj: 403 Forbidden", error.Message);
        Assert.Contains("the token needs `secrets: write` on acme/robodj", error.Message);
        Assert.Contains("protection rules", error.Message);
        Assert.DoesNotContain(github.Writes, w => w.Path.EndsWith("/ROBODJ_SECRET_KEY"));
    }

    [Fact]
    public async Task A_403_on_an_issue_names_the_issues_write_permission()
    {
        github.OnError("POST", "issues", 403, "Resource not accessible by integration");
        var announcer = new GitHubIssueAnnouncer(github.Client(), github.Options());

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => announcer.OpenIncidentAsync("Rollback of staging", "body", Ct));

        Assert.Contains("could not open the incident issue in acme/robodj: 403 Forbidden", error.Message);
        Assert.Contains("the token needs `issues: write`", error.Message);
    }

    [Fact]
    public async Task A_404_for_an_environment_names_the_environment_and_repository()
    {
        github.OnError("GET", "environments/prod/secrets/public-key", 404, "Not Found");

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => Store(GitHubSecretScope.ForEnvironment("prod")).CheckWritableAsync(Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("404 Not Found: environment 'prod' of acme/robodj does not exist, or the token cannot see it", error.Message);
    }

    [Fact]
    public async Task A_404_for_the_repository_names_the_repository()
    {
        github.OnError("GET", "actions/secrets/public-key", 404, "Not Found");

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => Store(GitHubSecretScope.Repository).CheckWritableAsync(Ct));

        Assert.Contains("404 Not Found: repository acme/robodj does not exist, or the token cannot see it", error.Message);
    }

    [Fact]
    public async Task A_rate_limit_that_resets_within_the_bound_is_waited_out_and_the_call_retried()
    {
        var keys = PublicKeyBox.GenerateKeyPair();
        github.On("GET", "actions/secrets/public-key", 403, RateLimitBody(), RateLimitHeaders(DateTimeOffset.UtcNow), scenario: "limit", nextState: "reset")
              .On("GET", "actions/secrets/public-key", 200, FakeGitHub.PublicKey("k", keys.PublicKey), scenario: "limit", whenState: "reset");

        await Store(GitHubSecretScope.Repository, maxRateLimitWait: TimeSpan.FromSeconds(5)).CheckWritableAsync(Ct);

        Assert.Equal(2, github.Requests.Count);
        Assert.Contains("GitHub rate limit hit while trying to read the secrets public key of repository acme/robodj", log.Text);
    }

    [Fact]
    public async Task A_rate_limit_that_resets_later_than_the_bound_is_reported_with_its_reset_time()
    {
        var reset = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(40).ToUnixTimeSeconds());
        github.On("GET", "actions/secrets/public-key", 403, RateLimitBody(), RateLimitHeaders(reset));

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() =>
            Store(GitHubSecretScope.Repository, maxRateLimitWait: TimeSpan.FromSeconds(5)).CheckWritableAsync(Ct));

        Assert.Single(github.Requests);
        Assert.Equal(reset, error.RateLimitResetsAt);
        Assert.Contains($"the API rate limit is exhausted until {reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", error.Message);
        Assert.Contains("later than the 5 s this run waits", error.Message);
    }

    [Fact]
    public async Task A_GitHub_that_does_not_answer_in_time_is_a_clear_error_naming_the_timeout()
    {
        github.On("GET", "actions/secrets/public-key", 200, FakeGitHub.PublicKey("k", new byte[32]), delay: TimeSpan.FromSeconds(5));
        var options = github.Options() with { RequestTimeout = TimeSpan.FromMilliseconds(500) };
        var store = new GitHubSecretStore(github.Client(options), options, GitHubSecretScope.Repository, new Dictionary<string, string?>());

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => store.CheckWritableAsync(Ct));

        Assert.Null(error.StatusCode);
        Assert.Equal("GitHub: could not read the secrets public key of repository acme/robodj: no answer within 0.5 s. Fix: retry later, or raise the GitHub request timeout.", error.Message);
    }

    [Fact]
    public void A_missing_GITHUB_TOKEN_is_a_clear_error()
    {
        var error = Assert.Throws<GitHubAccessException>(() => GitHubClientFactory.TokenFrom(new Dictionary<string, string?>()));

        Assert.StartsWith("GitHub: GITHUB_TOKEN is not set. Fix:", error.Message);
    }

    [Fact]
    public async Task An_error_body_that_echoes_the_token_is_redacted_in_message_and_inner_exception()
    {
        github.OnError("GET", "actions/secrets/public-key", 401, $"Bad credentials for token {github.Token}");

        var error = await Assert.ThrowsAsync<GitHubAccessException>(() => Store(GitHubSecretScope.Repository).CheckWritableAsync(Ct));

        Canary.AssertAbsent(error.ToString(), [github.Token], "the exception and its inner exception");
        Assert.Contains("Bad credentials for token ***", error.Message);
    }

    static System.Text.Json.Nodes.JsonObject RateLimitBody() => new()
    {
        ["message"] = "API rate limit exceeded for installation ID 42.",
        ["documentation_url"] = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
    };

    static Dictionary<string, string> RateLimitHeaders(DateTimeOffset reset) => new()
    {
        ["X-RateLimit-Limit"] = "5000",
        ["X-RateLimit-Remaining"] = "0",
        ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Issue 25: Octokit follows a redirect to the same host on any port with the token; our handler follows none.</summary>
public sealed class GitHubRedirectTests : IDisposable
{
    readonly FakeGitHub github = new();
    readonly FakeGitHub elsewhere = new();

    public void Dispose()
    {
        github.Dispose();
        elsewhere.Dispose();
    }

    [Fact]
    public async Task A_redirect_from_the_GitHub_API_is_not_followed_so_the_token_goes_nowhere_else()
    {
        github.On("POST", "issues", 307, headers: new Dictionary<string, string> { ["Location"] = elsewhere.BaseUrl + "/" + FakeGitHub.ApiPath("issues").TrimStart('/') });
        var announcer = new GitHubIssueAnnouncer(github.Client(), github.Options());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => announcer.AnnounceAsync(new NoticeBuilder().Build(), TestContext.Current.CancellationToken));

        Assert.Empty(elsewhere.Requests);
        Assert.Contains("redirects are never followed", error.ToString());
        Assert.DoesNotContain(github.Token, error.ToString());
    }
}
