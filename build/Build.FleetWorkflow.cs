using RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// .github/workflows/rotate-fleet.yml: the fleet rotation as jobs. `plan` lists the hosts (the matrix) and hands the
/// next key off once, sealed in the environment's secrets; each phase is one job (0 and 3: the single writer's host)
/// or one matrix of host jobs (1 and 2), each on its host's self-hosted runner, one host at a time, `needs:` the barrier;
/// `promote` moves the store's slots to the new pair. docs/fleet.md says how to operate it.
/// </summary>
[GitHubActionsWorkflow("rotate-fleet",
    RunName = "${{ format('Rotate the fleet keys of {0}', inputs.environment) }}",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    InvokedTargets = [nameof(FleetPhase)],
    RunsOn = ["self-hosted", "robodj"],
    TimeoutMinutes = 60,
    Environment = "${{ inputs.environment }}",
    EnvironmentUrl = "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
    // The same group as rotate-keys: one rotation of an environment at a time, whichever workflow runs it.
    ConcurrencyGroup = "key-rotation-${{ inputs.environment }}",
    ConcurrencyCancelInProgress = false,
    ReadPermissions = [GitHubActionsPermission.Contents],
    Secrets = ["DASHBOARD_PASSWORD=ROBODJ_DASHBOARD_PASSWORD", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_NEXT_SECRET_KEY"],
    ArtifactName = "key-rotation-fleet-${{ inputs.environment }}-${{ github.run_id }}",
    ArtifactPaths = [".nuke/temp/logs/**"],
    ArtifactRetentionDays = 90,
    DeploymentRoot = "${{ vars.ROBODJ_DEPLOYMENT_ROOT }}",
    // As rotate-keys: the jobs that write the environment's secrets use the App's token, else the named secret.
    GitHubAppToken = "GITHUB_TOKEN", GitHubAppClientIdVariable = "ROBODJ_APP_CLIENT_ID", GitHubAppPrivateKeySecret = "ROBODJ_APP_PRIVATE_KEY",
    GitHubAppPermissions = ["secrets:write", "environments:write"])]
[GitHubActionsInput("rotate-fleet", "environment", Description = "The fleet to rotate", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsInput("rotate-fleet", "fleet", Description = "The fleet file in the repository (default: Fleet in .nuke/parameters.<env>.json)", Parameter = "fleet")]
[GitHubActionsJob("rotate-fleet", "plan", DisplayName = "Hosts, and the next key stored once",
    InvokedTargets = [nameof(FleetMatrix), nameof(FleetKeyHandOff)],
    Outputs = ["hosts", "writer", "writer_runner"],
    // Writing an environment secret needs a token with "Secrets: write" and "Environments"; the job's own token cannot.
    Secrets = ["GITHUB_TOKEN=ROBODJ_SECRETS_TOKEN", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_NEXT_SECRET_KEY"],
    Env = ["REPOSITORY=${{ github.repository }}"], Arguments = ["--github-repository", "\"$REPOSITORY\""],
    ArtifactSuffix = "-plan")]
[GitHubActionsJob("rotate-fleet", "phase-0", DisplayName = "Phase 0: anything under V2 rewrapped into V1 (single writer)",
    Needs = ["plan"], RunsOn = ["self-hosted", "${{ needs.plan.outputs.writer_runner }}"], InvokedTargets = [nameof(FleetPhase)],
    Env = ["FLEET_HOST=${{ needs.plan.outputs.writer }}"], Arguments = ["--phase", "0", "--fleet-host", "\"$FLEET_HOST\""],
    ArtifactSuffix = "-phase-0")]
[GitHubActionsJob("rotate-fleet", "phase-1", DisplayName = "Phase 1: V1 = old, V2 = new on ${{ matrix.host }}",
    Needs = ["plan", "phase-0"], Matrix = "${{ fromJSON(needs.plan.outputs.hosts) }}", MaxParallel = 1,
    RunsOn = ["self-hosted", "${{ matrix.runner }}"], InvokedTargets = [nameof(FleetPhase)],
    Env = ["FLEET_HOST=${{ matrix.host }}"], Arguments = ["--phase", "1", "--fleet-host", "\"$FLEET_HOST\""],
    ArtifactSuffix = "-phase-1-${{ matrix.host }}")]
[GitHubActionsJob("rotate-fleet", "phase-2", DisplayName = "Phase 2: V1 = new, V2 = old on ${{ matrix.host }}",
    Needs = ["plan", "phase-1"], Matrix = "${{ fromJSON(needs.plan.outputs.hosts) }}", MaxParallel = 1,
    RunsOn = ["self-hosted", "${{ matrix.runner }}"], InvokedTargets = [nameof(FleetPhase)],
    Env = ["FLEET_HOST=${{ matrix.host }}"], Arguments = ["--phase", "2", "--fleet-host", "\"$FLEET_HOST\""],
    ArtifactSuffix = "-phase-2-${{ matrix.host }}")]
[GitHubActionsJob("rotate-fleet", "phase-3", DisplayName = "Phase 3: one config save, every field under the new V1 (single writer)",
    Needs = ["plan", "phase-2"], RunsOn = ["self-hosted", "${{ needs.plan.outputs.writer_runner }}"], InvokedTargets = [nameof(FleetPhase)],
    Env = ["FLEET_HOST=${{ needs.plan.outputs.writer }}"], Arguments = ["--phase", "3", "--fleet-host", "\"$FLEET_HOST\""],
    ArtifactSuffix = "-phase-3")]
[GitHubActionsJob("rotate-fleet", "promote", DisplayName = "The environment's secrets: V1 = new, V2 = old; next key deleted",
    Needs = ["phase-3"], InvokedTargets = [nameof(FleetPromote)],
    Secrets = ["GITHUB_TOKEN=ROBODJ_SECRETS_TOKEN", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_NEXT_SECRET_KEY"],
    Env = ["REPOSITORY=${{ github.repository }}"], Arguments = ["--github-repository", "\"$REPOSITORY\""],
    ArtifactSuffix = "-promote")]
partial class Build;
