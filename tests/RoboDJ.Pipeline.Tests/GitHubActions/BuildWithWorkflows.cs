using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>
/// A sample of the workflow attributes build/Build.GitHub.cs carries, for the writer's own tests. The committed
/// .github/workflows files come from the real Build class and are checked against it in tests/RoboDJ.Build.Tests.
/// </summary>
[GitHubActionsWorkflow("rotate-keys",
    RunName = "${{ format('Rotate keys of {0}{1}', inputs.environment, inputs.dry_run && ' (dry run)' || '') }}",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    InvokedTargets = ["Rotate"],
    RunsOn = ["self-hosted", "robodj"],
    TimeoutMinutes = 60,
    Environment = "${{ inputs.environment }}",
    EnvironmentUrl = "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
    ConcurrencyGroup = "key-rotation-${{ inputs.environment }}",
    ConcurrencyCancelInProgress = false,
    ReadPermissions = [GitHubActionsPermission.Contents],
    WritePermissions = [GitHubActionsPermission.Issues],
    Secrets = ["GITHUB_TOKEN", "DASHBOARD_PASSWORD=ROBODJ_DASHBOARD_PASSWORD", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY"],
    ArtifactName = "key-rotation-${{ inputs.environment }}-${{ github.run_id }}",
    ArtifactPaths = [".nuke/temp/logs/**"],
    DeploymentRoot = "${{ vars.ROBODJ_DEPLOYMENT_ROOT }}",
    DeploymentArtifactPaths = ["config/key_rotation/*/journal.jsonl", "config/incidents/**"],
    ArtifactRetentionDays = 90,
    GitHubAppToken = "GITHUB_TOKEN", GitHubAppClientIdVariable = "ROBODJ_APP_CLIENT_ID", GitHubAppPrivateKeySecret = "ROBODJ_APP_PRIVATE_KEY",
    GitHubAppPermissions = ["secrets:write", "issues:write"])]
[GitHubActionsInput("rotate-keys", "environment", Description = "The deployment to rotate", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsInput("rotate-keys", "dry_run", Description = "Only report what would change", Type = GitHubActionsInputType.Boolean, Default = "false", Parameter = "dry-run")]
[GitHubActionsInput("rotate-keys", "confirm", Description = "Type production to rotate production", Parameter = "confirm")]
[GitHubActionsWorkflow("ci",
    On = [GitHubActionsTrigger.Push, GitHubActionsTrigger.PullRequest],
    InvokedTargets = ["Test"],
    TimeoutMinutes = 30)]
sealed class BuildWithWorkflows;
