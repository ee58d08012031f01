using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// GitHub: the key stores (github-repository, github-environment), the announcement channels (github, webhook), the job
/// summary's extra sections, and the workflows that ./build.sh --generate-configuration writes from these attributes.
/// The wiring only: the logic is in src/RoboDJ.KeyRotation (GitHubIntegration, OutcomeMapping, RotationSummarySections).
/// </summary>
[GitHubActionsWorkflow("rotate-keys",
    RunName = "${{ github.event_name == 'schedule' && 'Scheduled key check (staging rotates when due, production gets a reminder)' || format('Rotate keys of {0}{1}', inputs.environment, inputs.dry_run && ' (dry run)' || '') }}",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    InvokedTargets = [nameof(Rotate)],
    RunsOn = ["self-hosted", "robodj"],
    TimeoutMinutes = 60,
    Environment = "${{ inputs.environment }}",
    // The environment's deployments page links to the run, whose summary has the fingerprints, census and outcome.
    EnvironmentUrl = "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
    ConcurrencyGroup = "key-rotation-${{ inputs.environment }}",
    ConcurrencyCancelInProgress = false,
    ReadPermissions = [GitHubActionsPermission.Contents],
    WritePermissions = [GitHubActionsPermission.Issues],
    Secrets = ["GITHUB_TOKEN", "DASHBOARD_PASSWORD=ROBODJ_DASHBOARD_PASSWORD", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "WEBHOOK_URL=ROBODJ_WEBHOOK_URL"],
    ArtifactName = "key-rotation-${{ inputs.environment }}-${{ github.run_id }}",
    ArtifactPaths = [".nuke/temp/logs/**"],
    ArtifactRetentionDays = 90,
    DeploymentRoot = "${{ vars.ROBODJ_DEPLOYMENT_ROOT }}",
    // Journals and postmortems only: a snapshot under key_rotation/<id>/snapshot holds the old .env.
    DeploymentArtifactPaths = ["key_rotation/*/journal.jsonl", "config/incidents/**"],
    // The github stores write Actions secrets, which the job's own token cannot: a GitHub App's token can (README, GitHub).
    GitHubAppToken = "GITHUB_TOKEN", GitHubAppClientIdVariable = "ROBODJ_APP_CLIENT_ID", GitHubAppPrivateKeySecret = "ROBODJ_APP_PRIVATE_KEY",
    GitHubAppPermissions = ["secrets:write", "environments:write", "issues:write"])]
[GitHubActionsInput("rotate-keys", "environment", Description = "The deployment to rotate", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsInput("rotate-keys", "dry_run", Description = "Only report what would change", Type = GitHubActionsInputType.Boolean, Default = "false", Parameter = "dry-run")]
[GitHubActionsInput("rotate-keys", "confirm", Description = "Type production to rotate production", Parameter = "confirm")]
// A GitHub-hosted runner is Ubuntu with sudo: .ci/prepare installs the peers and starts a private Docker engine (as on
// Debian), then .ci/run runs ./build.sh Test as root (the chown/chattr tests need it) and prints the test counts.
[GitHubActionsWorkflow("ci",
    On = [GitHubActionsTrigger.Push, GitHubActionsTrigger.PullRequest],
    InvokedTargets = [nameof(Test)],
    TimeoutMinutes = 60,
    PrepareRunner = ["sudo -E env \"PATH=$PATH\" bash .ci/prepare \"$RUNNER_TEMP/robodj-ci.env\""],
    BuildCommand = "sudo -E env \"PATH=$PATH\" bash .ci/run \"$RUNNER_TEMP/robodj-ci.env\"")]
partial class Build
{
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

    GitHubIntegration? gitHub;

    GitHubIntegration GitHub => gitHub ??= new GitHubIntegration(new GitHubParameters
    {
        Env = Env, Repository = GitHubRepository, BaseUrl = GitHubBaseUrl, Labels = GitHubLabels,
        IncidentLabels = GitHubIncidentLabels, TrackingIssue = GitHubTrackingIssue, WebhookUrl = WebhookUrl,
    }, GetEnvironmentVariable);

    ISecretStore CreateGitHubStore(DeploymentSettings settings) => GitHub.CreateDeliveredStore(settings, GitHubEnvironment);

    AnnouncementChannels CreateAnnouncements() => GitHub.CreateAnnouncements(AnnounceChannels);

    /// <summary>
    /// Registered before any target runs, so that under Actions the ::add-mask:: lines come before any other output:
    /// the token, the webhook URL and the keys the store holds now. A store that cannot be read is Preflight's to report.
    /// </summary>
    void RegisterKnownSecrets()
    {
        foreach (var secret in GitHub.SecretsToMask()) SecretRedactor.Register(secret);
        if (Env is null || DeploymentRoot is null) return;
        try { _ = new DotEnvSecretStore(Settings.Paths.DotEnv).ReadAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (Exception) { /* Preflight reads it again and says what is wrong */ }
    }

    /// <summary>After Verify, Resume or Rollback: the outcome comment (and the close on success), whatever the build's outcome.</summary>
    void ReportOutcome(BuildSummary summary)
    {
        if (workflow is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { workflow.ReportOutcomeAsync(OutcomeMapping.From(summary, workflow.NeedsRollback, workflow.RefusedBeforeAnyChange), timeout.Token).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Serilog.Log.Warning("Could not report the outcome: {Error}", SecretRedactor.Redact(e.Message));
        }
    }

    protected override IEnumerable<StepSummarySection> GetSummarySections(BuildSummary summary) =>
        workflow is null ? [] : RotationSummarySections.For(RotationSummaryFacts.Of(workflow));
}
