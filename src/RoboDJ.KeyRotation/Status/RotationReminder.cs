using Octokit;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Status;

/// <summary>
/// The scheduled reminder for an environment that rotates only with a reviewer (production): while V1 is overdue there is
/// exactly one open issue "Key rotation due: &lt;env&gt;" labelled <see cref="Label"/>, found again by label and title and
/// updated, never duplicated, with the workflow-dispatch link; once V1 is within the policy it is commented and closed.
/// </summary>
public sealed class RotationReminder
{
    public const string Label = "key-rotation-reminder";
    const string Permission = "issues: write";
    readonly IGitHubClient client;
    readonly GitHubOptions options;
    readonly GitHubCall call;
    readonly string workflowFile;

    public RotationReminder(IGitHubClient client, GitHubOptions options, string workflowFile = "rotate-keys.yml", TimeProvider? time = null)
    {
        this.client = client;
        this.options = options;
        this.workflowFile = workflowFile;
        call = new GitHubCall(options, time);
    }

    public static string Title(string env) => $"Key rotation due: {env}";

    /// <summary>The workflow's page, where "Run workflow" dispatches it (github.com, or the Enterprise server's root).</summary>
    public Uri DispatchLink => new($"{(options.BaseUrl?.AbsoluteUri.TrimEnd('/') ?? "https://github.com")}/{options.Owner}/{options.Repository}/actions/workflows/{workflowFile}");

    /// <summary>Opens, updates or closes the reminder through <paramref name="effects"/> (a dry run records it); returns what it did.</summary>
    public async Task<string> RemindAsync(DeploymentStatus status, IEffects effects, CancellationToken cancellationToken)
    {
        var open = await FindOpenAsync(status.Env, cancellationToken);
        if (!status.Overdue && open is null) return $"V1 {status.V1.Fingerprint} is within the {status.MaxKeyAgeDays}-day policy; no reminder open";
        var what = !status.Overdue ? $"comment on and close reminder issue #{open!.Number}"
            : open is not null ? $"update reminder issue #{open.Number}" : $"open the reminder issue \"{Title(status.Env)}\"";
        return await effects.ApplyAsync(RoboDJ.KeyRotation.Rotation.RotationTargets.Remind, ChangeKind.GitHub, () => Task.FromResult($"would {what}"), () =>
        {
            EffectGuard.ThrowIfDryRun(ChangeKind.GitHub, what);
            return WriteAsync(status, open, cancellationToken);
        }, would => would);
    }

    async Task<string> WriteAsync(DeploymentStatus status, Issue? open, CancellationToken cancellationToken)
    {
        if (!status.Overdue && open is not null)
        {
            await call.RunAsync(Operation($"comment on reminder issue #{open.Number}"), () => client.Issue.Comment.Create(options.Owner, options.Repository, open.Number,
                SecretRedactor.Redact($"V1 `{status.V1.Fingerprint}` is within the {status.MaxKeyAgeDays}-day policy now ({Age(status)}). Closing.")), cancellationToken);
            await call.RunAsync(Operation($"close reminder issue #{open.Number}"),
                () => client.Issue.Update(options.Owner, options.Repository, open.Number, new IssueUpdate { State = ItemState.Closed }), cancellationToken);
            return $"V1 is within the policy again: closed reminder issue #{open.Number}";
        }
        var body = SecretRedactor.Redact(Body(status));
        if (open is not null)
        {
            await call.RunAsync(Operation($"update reminder issue #{open.Number}"),
                () => client.Issue.Update(options.Owner, options.Repository, open.Number, new IssueUpdate { Body = body }), cancellationToken);
            return $"V1 {status.V1.Fingerprint} is overdue ({Age(status)}): updated reminder issue #{open.Number}";
        }
        var issue = new NewIssue(Title(status.Env)) { Body = body };
        foreach (var label in options.Labels.Prepend(Label).Distinct()) issue.Labels.Add(label);
        var created = await call.RunAsync(Operation($"open the reminder issue in {options.RepositoryFullName}"),
            () => client.Issue.Create(options.Owner, options.Repository, issue), cancellationToken);
        return $"V1 {status.V1.Fingerprint} is overdue ({Age(status)}): opened reminder issue #{created.Number}";
    }

    async Task<Issue?> FindOpenAsync(string env, CancellationToken cancellationToken)
    {
        var request = new RepositoryIssueRequest { State = ItemStateFilter.Open };
        request.Labels.Add(Label);
        var issues = await call.RunAsync(Operation($"list the open {Label} issues of {options.RepositoryFullName}"),
            () => client.Issue.GetAllForRepository(options.Owner, options.Repository, request), cancellationToken);
        // The oldest one with our title: a duplicate someone opened by hand is left alone, never multiplied.
        return issues.Where(i => i.PullRequest is null && i.Title == Title(env)).OrderBy(i => i.Number).FirstOrDefault();
    }

    string Body(DeploymentStatus status) =>
        $"V1 `{status.V1.Fingerprint}` of **{status.Env}** is {Age(status)}, over the {status.MaxKeyAgeDays}-day policy.\n\n" +
        $"{status.Env} rotates only with a reviewer: open [{workflowFile}]({DispatchLink}), choose **Run workflow** with " +
        $"environment `{status.Env}` and confirm `{status.Env}`.\n\n" +
        "What the scheduled Status saw:\n\n" + string.Concat(status.Facts().Select(f => $"- **{f.Label}**: {f.Text}\n")) +
        $"\n_Updated by the scheduled run at {status.At:yyyy-MM-dd HH:mm} UTC; this issue is updated, not duplicated, and closed once V1 is within the policy._\n";

    static string Age(DeploymentStatus status) => status.V1.AgeDays is { } days ? $"{days} days old" : "of unknown age";

    GitHubOperation Operation(string action) => new(action, Permission, $"repository {options.RepositoryFullName}");
}
