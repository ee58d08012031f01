namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// Declares a GitHub Actions workflow on the Build class, as NUKE's [GitHubActions] does: one job that checks out,
/// sets up .NET from global.json, runs <c>./build.sh</c> with <see cref="InvokedTargets"/> and uploads artifacts.
/// <c>./build.sh --generate-configuration</c> writes it to <c>.github/workflows/&lt;name&gt;.yml</c>; a test fails when
/// the committed file differs, so the attributes are the only place to change a workflow.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubActionsWorkflowAttribute(string name) : Attribute
{
    /// <summary>The file name without <c>.yml</c>, also the workflow's display name.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// The name of each run in the Actions list (<c>run-name:</c>, expressions allowed), e.g. the environment and
    /// whether it is a dry run; GitHub's default (the commit message) when null.
    /// </summary>
    public string? RunName { get; set; }

    public GitHubActionsTrigger[] On { get; set; } = [];

    /// <summary>Targets passed to <c>./build.sh</c>, in this order.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Runner labels; a self-hosted rotation needs the host's Docker and .env, so it names its own label.</summary>
    public string[] RunsOn { get; set; } = ["ubuntu-latest"];

    public int TimeoutMinutes { get; set; } = 30;

    /// <summary>The job's deployment environment (an expression is allowed), so that its protection rules gate the job.</summary>
    public string? Environment { get; set; }

    /// <summary>The environment's <c>url:</c>, shown on its deployments page (an expression is allowed, e.g. the run's own page).</summary>
    public string? EnvironmentUrl { get; set; }

    /// <summary>When set, runs of the same group queue instead of overlapping.</summary>
    public string? ConcurrencyGroup { get; set; }

    public bool ConcurrencyCancelInProgress { get; set; }

    /// <summary>GITHUB_TOKEN scopes granted read; every scope not listed here or in <see cref="WritePermissions"/> is none.</summary>
    public GitHubActionsPermission[] ReadPermissions { get; set; } = [GitHubActionsPermission.Contents];

    public GitHubActionsPermission[] WritePermissions { get; set; } = [];

    /// <summary>
    /// Shell lines of a "Prepare the runner" step before the build, e.g. installing the test peers that .ci/run installs
    /// on Debian (GitHub sets CI=true, under which a missing peer fails its test instead of skipping).
    /// </summary>
    public string[] PrepareRunner { get; set; } = [];

    /// <summary>
    /// The build step's command instead of <c>./build.sh &lt;InvokedTargets&gt;</c>, for a script that runs those targets
    /// itself (ci: .ci/run, which runs ./build.sh Test as root and prints the test counts). Inputs are not passed to it.
    /// </summary>
    public string? BuildCommand { get; set; }

    /// <summary>Environment variables of the build step taken from secrets: <c>NAME</c> (secret of the same name) or <c>NAME=SECRET</c>.</summary>
    public string[] Secrets { get; set; } = [];

    /// <summary>The uploaded artifact's name; no upload step when null.</summary>
    public string? ArtifactName { get; set; }

    /// <summary>Days GitHub keeps the artifact (<c>retention-days</c>); 0: the repository's default (90 days unless changed).</summary>
    public int ArtifactRetentionDays { get; set; }

    /// <summary>Artifact paths relative to the checkout.</summary>
    public string[] ArtifactPaths { get; set; } = [];

    /// <summary>
    /// Where the deployment lives on the runner (an expression such as <c>${{ vars.ROBODJ_DEPLOYMENT_ROOT }}</c> is
    /// allowed), given to the build as ROTATION_DEPLOYMENT_ROOT; empty (an unset variable), the parameters file's applies.
    /// </summary>
    public string? DeploymentRoot { get; set; }

    /// <summary>
    /// Artifact paths relative to the deployment root the build used, which it names in its step output
    /// <see cref="GitHubActionsWorkflowWriter.DeploymentRootOutput"/>.
    /// </summary>
    public string[] DeploymentArtifactPaths { get; set; } = [];

    /// <summary>
    /// The variable of <see cref="Secrets"/> that carries the build's GitHub token (e.g. GITHUB_TOKEN). When set, every
    /// job that maps it gets a step before the build that makes a GitHub App installation token (actions/create-github-app-token,
    /// pinned) with <see cref="GitHubAppPermissions"/>, and the variable gets that token, or the mapped secret when the
    /// repository has no App (the job's own token cannot write Actions secrets; an App token can).
    /// </summary>
    public string? GitHubAppToken { get; set; }

    /// <summary>The repository or environment variable holding the App's client id; the token step runs only when it is set.</summary>
    public string GitHubAppClientIdVariable { get; set; } = "GITHUB_APP_CLIENT_ID";

    /// <summary>The secret holding the App's private key.</summary>
    public string GitHubAppPrivateKeySecret { get; set; } = "GITHUB_APP_PRIVATE_KEY";

    /// <summary>What the token may do, as <c>scope:level</c>, e.g. <c>secrets:write</c>: no more than the build needs.</summary>
    public string[] GitHubAppPermissions { get; set; } = [];
}
