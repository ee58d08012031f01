using Octokit;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// Announces on GitHub: opens "Key rotation: env, 14:00–14:05 UTC" with the configured labels (or comments on the
/// configured tracking issue), comments the outcome at the end and closes its own issue on success. An incident is an
/// issue of its own, labelled for on-call.
/// </summary>
public sealed class GitHubIssueAnnouncer : IAnnouncer
{
    const string Permission = "issues: write";
    readonly IGitHubClient client;
    readonly GitHubOptions options;
    readonly GitHubCall call;
    bool ownIssue;

    public GitHubIssueAnnouncer(IGitHubClient client, GitHubOptions options, TimeProvider? time = null, Serilog.ILogger? logger = null)
    {
        this.client = client;
        this.options = options;
        call = new GitHubCall(options, time, logger);
    }

    public string Channel => "github-issue";

    /// <summary>The issue the announcement went to (its own or the tracking issue); null before <see cref="AnnounceAsync"/>.</summary>
    public long? IssueNumber { get; private set; }

    /// <summary>For Resume: carry on with the announcement issue a previous run opened (its number is in the journal).</summary>
    public void ContinueWith(long issueNumber)
    {
        IssueNumber = issueNumber;
        ownIssue = issueNumber != options.TrackingIssue;
    }

    public async Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken)
    {
        if (options.TrackingIssue is { } tracking)
        {
            var body = $"### {AnnouncementText.Title(notice)}\n\n{AnnouncementText.Markdown(notice)}";
            var comment = await CommentAsync(tracking, body, cancellationToken);
            IssueNumber = tracking;
            ownIssue = false;
            return new Delivery($"commented on tracking issue #{tracking}", Link(comment.HtmlUrl));
        }

        var issue = await CreateIssueAsync(AnnouncementText.Title(notice), AnnouncementText.Markdown(notice), options.Labels, "open the announcement issue", cancellationToken);
        IssueNumber = issue.Number;
        ownIssue = true;
        return new Delivery($"opened issue #{issue.Number}", Link(issue.HtmlUrl));
    }

    public async Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken)
    {
        if (IssueNumber is not { } number)
            return new Delivery("no announcement issue to comment on (the announcement was not made)", Skipped: true);

        var comment = await CommentAsync(number, AnnouncementText.OutcomeMarkdown(outcome), cancellationToken);
        // A tracking issue outlives one rotation, so only an issue of our own is closed; a failure leaves it open for follow-up.
        if (!outcome.Succeeded || !ownIssue)
            return new Delivery($"commented the outcome on #{number}", Link(comment.HtmlUrl));

        await call.RunAsync(Operation($"close issue #{number}"),
            () => client.Issue.Update(options.Owner, options.Repository, number, new IssueUpdate { State = ItemState.Closed }),
            cancellationToken);
        return new Delivery($"commented the outcome on #{number} and closed it", Link(comment.HtmlUrl));
    }

    public async Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken)
    {
        var issue = await CreateIssueAsync(title, markdownBody, options.IncidentLabels, "open the incident issue", cancellationToken);
        return new Delivery($"opened incident issue #{issue.Number}", Link(issue.HtmlUrl));
    }

    async Task<Issue> CreateIssueAsync(string title, string body, IReadOnlyList<string> labels, string action, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.GitHub, action);
        var newIssue = new NewIssue(SecretRedactor.Redact(title)) { Body = SecretRedactor.Redact(body) };
        foreach (var label in labels) newIssue.Labels.Add(label);
        return await call.RunAsync(Operation($"{action} in {options.RepositoryFullName}"),
            () => client.Issue.Create(options.Owner, options.Repository, newIssue), cancellationToken);
    }

    Task<IssueComment> CommentAsync(long number, string body, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.GitHub, $"comment on issue #{number}");
        return call.RunAsync(Operation($"comment on issue #{number}"),
            () => client.Issue.Comment.Create(options.Owner, options.Repository, number, SecretRedactor.Redact(body)), cancellationToken);
    }

    GitHubOperation Operation(string action) => new(
        action.Contains(options.RepositoryFullName) ? action : $"{action} of {options.RepositoryFullName}",
        Permission,
        options.TrackingIssue is { } tracking && action.Contains($"#{tracking}")
            ? $"tracking issue #{tracking} of {options.RepositoryFullName}"
            : $"repository {options.RepositoryFullName}");

    static Uri? Link(string? htmlUrl) => Uri.TryCreate(htmlUrl, UriKind.Absolute, out var uri) ? uri : null;
}
