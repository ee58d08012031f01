namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// Where and how to talk to GitHub, from the env's parameters file. The token is deliberately not here: it comes from
/// GITHUB_TOKEN and goes straight to <see cref="GitHubClientFactory.Create"/>, so these options can be logged or
/// journalled without a second thought.
/// </summary>
public sealed record GitHubOptions
{
    public required string Owner { get; init; }
    public required string Repository { get; init; }

    /// <summary>null for github.com. For GitHub Enterprise the server's root, e.g. https://ghe.example.com; Octokit appends /api/v3/.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Labels put on the announcement issue.</summary>
    public IReadOnlyList<string> Labels { get; init; } = ["key-rotation"];

    /// <summary>Labels put on an incident issue; "incident" is what on-call searches for.</summary>
    public IReadOnlyList<string> IncidentLabels { get; init; } = ["incident"];

    /// <summary>When set, announcements are comments on this issue instead of a new issue each time; it is never closed.</summary>
    public long? TrackingIssue { get; init; }

    /// <summary>An optional Slack-compatible incoming webhook. Treated as a secret: such URLs carry their own token.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Per-request timeout for the GitHub API.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A rate limit that resets within this is waited out; a later reset is reported with its time.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(60);

    public string RepositoryFullName => $"{Owner}/{Repository}";
}
