using System.Globalization;
using Octokit;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// GitHub: the key stores (github-repository, github-environment), the announcement channels (github, webhook), the job
/// summary's extra sections, and the workflows that ./build.sh --generate-configuration writes from these attributes.
/// The token comes only from GITHUB_TOKEN; the current keys of a GitHub store from ROBODJ_SECRET_KEY/ROBODJ_SECRET_V2_KEY,
/// which the workflow maps from secrets.
/// </summary>
[GitHubActionsWorkflow("rotate-keys",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    InvokedTargets = ["Rotate"],
    RunsOn = ["self-hosted", "robodj"],
    TimeoutMinutes = 60,
    Environment = "${{ inputs.environment }}",
    ConcurrencyGroup = "key-rotation-${{ inputs.environment }}",
    ConcurrencyCancelInProgress = false,
    ReadPermissions = [GitHubActionsPermission.Contents],
    WritePermissions = [GitHubActionsPermission.Issues],
    Secrets = ["GITHUB_TOKEN", "DASHBOARD_PASSWORD=ROBODJ_DASHBOARD_PASSWORD", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "WEBHOOK_URL=ROBODJ_WEBHOOK_URL"],
    ArtifactName = "key-rotation-${{ inputs.environment }}-${{ github.run_id }}",
    ArtifactPaths = [".nuke/temp/logs/**"],
    DeploymentRoot = "${{ vars.ROBODJ_DEPLOYMENT_ROOT }}",
    // Journals and postmortems only: a snapshot under key_rotation/<id>/snapshot holds the old .env.
    DeploymentArtifactPaths = ["key_rotation/*/journal.jsonl", "config/incidents/**"])]
[GitHubActionsInput("rotate-keys", "environment", Description = "The deployment to rotate", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsInput("rotate-keys", "dry_run", Description = "Only report what would change", Type = GitHubActionsInputType.Boolean, Default = "false", Parameter = "dry-run")]
[GitHubActionsInput("rotate-keys", "confirm", Description = "Type production to rotate production", Parameter = "confirm")]
[GitHubActionsWorkflow("ci",
    On = [GitHubActionsTrigger.Push, GitHubActionsTrigger.PullRequest],
    InvokedTargets = ["Test"],
    TimeoutMinutes = 30)]
partial class Build
{
    static readonly string[] KnownChannels = ["log", "github", "webhook"];

    [Parameter("GitHub repository \"owner/name\" for the github stores and the github announcement channel")]
    readonly string? GitHubRepository;

    [Parameter("GitHub Enterprise server root, e.g. https://ghe.example.com (empty for github.com)")]
    readonly string? GitHubBaseUrl;

    [Parameter("Labels of the announcement issue")]
    readonly string[] GitHubLabels = ["key-rotation"];

    [Parameter("Labels of an incident issue")]
    readonly string[] GitHubIncidentLabels = ["incident"];

    [Parameter("Announce as comments on this issue instead of opening one per rotation (0: open one)")]
    readonly int GitHubTrackingIssue;

    [Parameter("github-environment store: the GitHub environment holding the secrets (default: the value of --env)")]
    readonly string? GitHubEnvironment;

    [Parameter("Slack-compatible webhook for the webhook channel (environment variable WEBHOOK_URL: the URL holds a token)")]
    [Secret]
    readonly string? WebhookUrl;

    [Parameter("Production: rotate even though broadcasts are scheduled inside the window")]
    readonly bool AllowBroadcasts;

    HttpClient? webhookHttp;
    IGitHubClient? gitHubClient;

    /// <summary>Read directly: the engine would map a member GitHubToken to GIT_HUB_TOKEN, and a token never belongs in a parameters file.</summary>
    string GitHubToken => GitHubClientFactory.TokenFrom(new Dictionary<string, string?>
    {
        [GitHubClientFactory.TokenVariable] = GetEnvironmentVariable(GitHubClientFactory.TokenVariable),
    });

    GitHubOptions GitHubOptions
    {
        get
        {
            var parts = (GitHubRepository ?? "").Split('/');
            if (parts.Length != 2 || parts.Any(p => p.Length == 0))
                throw new InvalidOperationException($"github-repository is \"{GitHubRepository}\"; it must be \"owner/name\". " +
                    $"Set \"GitHubRepository\" in .nuke/parameters.{Env}.json or pass --github-repository owner/name.");
            return new GitHubOptions
            {
                Owner = parts[0],
                Repository = parts[1],
                BaseUrl = string.IsNullOrEmpty(GitHubBaseUrl) ? null : new Uri(GitHubBaseUrl.EndsWith('/') ? GitHubBaseUrl : GitHubBaseUrl + "/"),
                Labels = GitHubLabels,
                IncidentLabels = GitHubIncidentLabels,
                TrackingIssue = GitHubTrackingIssue > 0 ? GitHubTrackingIssue : null,
                WebhookUrl = string.IsNullOrEmpty(WebhookUrl) ? null : new Uri(WebhookUrl),
            };
        }
    }

    IGitHubClient GitHubClient => gitHubClient ??= GitHubClientFactory.Create(GitHubOptions, GitHubToken);

    ISecretStore CreateGitHubStore(DeploymentSettings settings)
    {
        var scope = settings.Store == StoreKind.GitHubEnvironment
            ? GitHubSecretScope.ForEnvironment(GitHubEnvironment ?? settings.Env)
            : GitHubSecretScope.Repository;
        return new GitHubSecretStore(GitHubClient, GitHubOptions, scope, CurrentKeysFromEnvironment());
    }

    /// <summary>An empty variable is an absent slot: Actions maps a secret that does not exist to "".</summary>
    Dictionary<string, string?> CurrentKeysFromEnvironment() =>
        new[] { KeySlots.PrimaryName, KeySlots.SecondaryName }
            .Where(name => GetEnvironmentVariable(name) is { Length: > 0 })
            .ToDictionary(name => name, name => GetEnvironmentVariable(name));

    /// <summary>
    /// The log always; github and webhook as the env's AnnounceChannels name them. A channel that cannot be set up fails
    /// at Announce (<see cref="UnavailableAnnouncer"/>), where the env's policy applies, rather than here.
    /// </summary>
    AnnouncementChannels CreateAnnouncements()
    {
        var channels = new List<IAnnouncer> { new LogAnnouncer() };
        foreach (var name in AnnounceChannels.Distinct())
        {
            try
            {
                if (name == "github") channels.Add(new GitHubIssueAnnouncer(GitHubClient, GitHubOptions));
                else if (name == "webhook")
                    channels.Add(new WebhookAnnouncer(webhookHttp ??= new HttpClient(), (string.IsNullOrEmpty(WebhookUrl) ? null : new Uri(WebhookUrl)) ?? throw new InvalidOperationException(
                        "WEBHOOK_URL is not set; set it (in Actions from the ROBODJ_WEBHOOK_URL secret) or remove webhook from AnnounceChannels")));
                else if (name != "log")
                    throw new InvalidOperationException($"there is no such channel; valid channels: {string.Join(", ", KnownChannels)}");
            }
            catch (Exception e) when (e is GitHubAccessException or InvalidOperationException or UriFormatException)
            {
                channels.Add(new UnavailableAnnouncer(name, $"{SecretRedactor.Redact(e.Message)} (.nuke/parameters.{Env}.json)"));
            }
        }
        return new AnnouncementChannels(channels);
    }

    /// <summary>
    /// Registered before any target runs, so that under Actions the ::add-mask:: lines come before any other output:
    /// the token, the webhook URL and the keys the store holds now. A store that cannot be read is Preflight's to report.
    /// </summary>
    void RegisterKnownSecrets()
    {
        if (GetEnvironmentVariable(GitHubClientFactory.TokenVariable) is { Length: > 0 } token) SecretRedactor.Register(token);
        if (!string.IsNullOrEmpty(WebhookUrl)) SecretRedactor.Register(new Uri(WebhookUrl).AbsoluteUri);
        foreach (var value in CurrentKeysFromEnvironment().Values) SecretRedactor.Register(value!);
        if (Env is null || DeploymentRoot is null || Store != "dotenv") return;
        try { _ = new DotEnvSecretStore(Settings.Paths.DotEnv).ReadAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (Exception) { /* Preflight reads it again and says what is wrong */ }
    }

    /// <summary>After Verify, Resume or Rollback: the outcome comment (and the close on success), whatever the build's outcome.</summary>
    void ReportOutcome(BuildSummary summary)
    {
        if (workflow is null) return;
        var rollback = summary["Rollback"]?.Status;
        var kind = rollback == TargetStatus.Succeeded ? OutcomeKind.RolledBack
            : rollback == TargetStatus.Failed || workflow.NeedsRollback ? OutcomeKind.RollbackFailed
            : summary.Outcome == BuildOutcome.Succeeded ? OutcomeKind.Succeeded
            : OutcomeKind.Failed;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { workflow.ReportOutcomeAsync(kind, timeout.Token).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Serilog.Log.Warning("Could not report the outcome: {Error}", SecretRedactor.Redact(e.Message));
        }
    }

    protected override IEnumerable<StepSummarySection> GetSummarySections(BuildSummary summary)
    {
        if (workflow is null) yield break;
        string Show(object? fingerprint) => fingerprint is null ? "(none)" : $"`{fingerprint}`";
        if (workflow.OldPrimary is not null)
            yield return StepSummarySection.Table("Keys", ["Slot", "Before", "After"],
            [
                [$"V1 ({KeySlots.PrimaryName})", Show(workflow.OldPrimary), Show(workflow.NewPrimary ?? workflow.OldPrimary)],
                [$"V2 ({KeySlots.SecondaryName})", Show(workflow.OldSecondary), Show(workflow.NewPrimary is null ? workflow.OldSecondary : workflow.OldPrimary)],
            ]);
        if (workflow.CensusBefore is { } census)
            yield return StepSummarySection.Table("Census before the rotation", ["Key", "Fields"],
                census.CountsByKey.Select((kv, i) => (IReadOnlyList<string>)[$"{Show(kv.Key)} (V{i + 1})", kv.Value.ToString(CultureInfo.InvariantCulture)])
                    .Append(["undecryptable", census.Undecryptable.Count.ToString(CultureInfo.InvariantCulture)]));
        // The outcome comment comes after the summary (OnBuildFinished), so the links are the issues themselves.
        var links = new[] { ("Announcement", workflow.Announcement), ("Incident", workflow.Incident) }
            .Where(r => r.Item2 is not null)
            .SelectMany(r => r.Item2!.Links.Select(l => ($"{r.Item1} ({l.Channel})", l.Link.AbsoluteUri)))
            .ToList();
        if (links.Count > 0) yield return StepSummarySection.Links("Issues", links);
    }
}
