using Octokit;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.GitHub;

/// <summary>Octokit clients pointed at the shared <see cref="FakeGitHub"/>, with short timeouts for tests.</summary>
static class FakeGitHubClients
{
    public static GitHubOptions Options(this FakeGitHub fake, long? trackingIssue = null, TimeSpan? maxRateLimitWait = null) => new()
    {
        Owner = FakeGitHub.Owner,
        Repository = FakeGitHub.Repo,
        BaseUrl = fake.Root,
        Labels = ["key-rotation", "ops"],
        TrackingIssue = trackingIssue,
        RequestTimeout = TimeSpan.FromSeconds(60),
        MaxRateLimitWait = maxRateLimitWait ?? TimeSpan.FromSeconds(5),
    };

    public static IGitHubClient Client(this FakeGitHub fake, GitHubOptions? options = null) => GitHubClientFactory.Create(options ?? fake.Options(), fake.Token);
}
