using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// Parameters. Per environment they live in .nuke/parameters.&lt;env&gt;.json (the profile is the value of --env), or
/// come as --kebab-case or ROTATION_&lt;NAME&gt; (the engine's binding rule, ./build.sh --help); secrets come only from
/// their own environment variables, and a confirmation, --break-lock and --allow-undecryptable only from the command line.
/// </summary>
partial class Build
{
    [Parameter("Environment to rotate: sandbox | staging | production. Must equal the deployment's ROBODJ_ENV.", ValidValues = new[] { "sandbox", "staging", "production" })]
    readonly string? Env;

    [Parameter("The deployment's root folder (holds .env and config/); relative to the repository root")]
    readonly string? DeploymentRoot;

    [Parameter("Folders under config/ the rotation leaves alone: never counted, rewrapped, snapshotted or restored (default: agents)")]
    readonly string[] ConfigExclusions = [.. DeploymentScope.DefaultExclusions];

    [Parameter("Files or folders outside the deployment root that a symbolic link in .env or config/ may point at (by default a link is followed only inside the root)")]
    readonly string[] AllowLinkTargets = [];

    [Parameter("How RoboDJ runs: docker | desktop", ValidValues = new[] { "docker", "desktop" })]
    readonly string Runtime = "docker";

    [Parameter("Where the keys live: dotenv | github-environment | github-repository", ValidValues = new[] { "dotenv", "github-environment", "github-repository" })]
    readonly string Store = "dotenv";

    [Parameter("docker: the compose file, relative to the deployment root")]
    readonly string ComposeFile = "docker-compose.yaml";

    [Parameter("docker: the compose project name")]
    readonly string? ComposeProject;

    [Parameter("desktop: the app's process name")]
    readonly string ProcessName = "RoboDJ Automation";

    [Parameter("desktop: the launcher, relative to the deployment root")]
    readonly string Launcher = "RoboDJ_Launcher.bat";

    [Parameter("desktop: the pid file the app writes, relative to the deployment root")]
    readonly string? PidFile;

    [Parameter("desktop: where the launcher's output goes, relative to the deployment root")]
    readonly string? LauncherLog;

    [Parameter("Dashboard base URL (127.0.0.1 only); for a dotenv store the deployment's ROBODJ_DASHBOARD_URL is the fallback; none: no dashboard checks",
        Check = typeof(DashboardAddress))]
    readonly string? DashboardUrl;

    [Parameter("Dashboard user for the login check")]
    readonly string DashboardUser = "admin";

    [Parameter("Dashboard password (environment variable DASHBOARD_PASSWORD only)")]
    [Secret]
    readonly string? DashboardPassword;

    [Parameter("Seconds Stop waits for a graceful exit before it forces", Minimum = 1)]
    readonly int StopTimeout = 30;

    [Parameter("Seconds Start waits for the app to come up", Minimum = 1)]
    readonly int StartTimeout = 60;

    [Parameter("Seconds Verify waits for the startup log's PASS and the dashboard", Minimum = 1)]
    readonly int VerifyTimeout = 60;

    [Parameter("Announcement channels (the log always; github and webhook come with the GitHub integration)", Check = typeof(AnnouncementChannelNames))]
    readonly string[] AnnounceChannels = ["log"];

    [Parameter("Production needs --confirm production (or, in a GitHub Actions job, the production environment's approval)", CommandLineOnly = true)]
    readonly string? Confirm;

    [Parameter("Take over a rotation lock whose heartbeat went stale", CommandLineOnly = true)]
    readonly bool BreakLock;

    [Parameter("Rotate even though some config fields open with neither key (they are left as they are)", CommandLineOnly = true)]
    readonly bool AllowUndecryptable;

    [Parameter("Rewrap config fields under the new V1 while the app is down")]
    readonly bool Rewrap = true;

    [Parameter("Who moves config fields to the new V1: app (its own config saves, before Stop and in Verify: the outage does not grow with the config), offline (rewrap while the app is down), auto (app when Preflight logged in to the running app's dashboard)",
        ValidValues = new[] { "auto", "app", "offline" })]
    readonly string RewrapBy = "auto";

    [Parameter("The python interpreter for config/scripts/startup_safety.py")]
    readonly string? Python;

    /// <summary>
    /// The deployment's folder; a Requires of every target that reads it, so that a file or a missing folder is bad
    /// input (exit 2) before any target runs, never created. Only the sandbox creates its deployment where none is yet.
    /// </summary>
    string ResolvedDeploymentRoot => previewRoot ?? (File.Exists(DeploymentRootPath)
        ? throw new BuildInputException($"The deployment root {DeploymentRootPath} is a file (it comes from {DeploymentRootOrigin}); nothing was changed. Fix: {DeploymentRootOrigin.Fix}.")
        : !IsSandbox && !Directory.Exists(DeploymentRootPath) ? throw new BuildInputException(DeploymentRootOrigin.FolderMissing(DeploymentRootPath) + " Nothing was created.")
        : DeploymentRootPath);

    DeploymentRootOrigin DeploymentRootOrigin => new(SourceOf(nameof(DeploymentRoot)));

    string DeploymentRootPath =>
        Path.GetFullPath(DeploymentRoot ?? throw new BuildInputException($"deployment-root is not set; add \"DeploymentRoot\" to .nuke/parameters.{Env}.json or pass --deployment-root."), RootDirectory);

    /// <summary>
    /// Under GitHub Actions, names the deployment root this run uses in the step's outputs, so that the workflow's
    /// artifact step uploads the journal from it, also when the repository variable is unset and the parameters file
    /// gave it. A root that cannot be used is left to the targets' Requires to report.
    /// </summary>
    void PublishDeploymentRoot()
    {
        if (!IsGitHubActions || DeploymentRoot is null || GetEnvironmentVariable("GITHUB_OUTPUT") is not { } outputs) return;
        try { File.AppendAllLines(outputs, [$"{GitHubActionsWorkflowWriter.DeploymentRootOutput}={ResolvedDeploymentRoot}"]); }
        catch (BuildInputException) { }
    }

    DeploymentSettings Settings => new()
    {
        Env = Env!,
        Paths = new DeploymentPaths(ResolvedDeploymentRoot),
        RootOrigin = DeploymentRootOrigin,
        ConfigExclusions = ConfigExclusions,
        AllowedLinkTargets = AllowLinkTargets,
        Runtime = Runtime == "desktop" ? RuntimeKind.Desktop : RuntimeKind.Docker,
        Store = Store switch { "github-environment" => StoreKind.GitHubEnvironment, "github-repository" => StoreKind.GitHubRepository, _ => StoreKind.DotEnv },
        ComposeFile = ComposeFile,
        ComposeProject = ComposeProject,
        ProcessName = ProcessName,
        // The sandbox ships both launchers; the .sh one is the default there, and Windows needs the .bat.
        Launcher = OperatingSystem.IsWindows() && Launcher.EndsWith(".sh", StringComparison.Ordinal) ? Path.ChangeExtension(Launcher, ".bat") : Launcher,
        PidFile = PidFile,
        LauncherLog = LauncherLog,
        DashboardUrl = DashboardUrl is null || DashboardUrl == DashboardAddress.None ? null : new Uri(DashboardUrl),
        DashboardChecksOff = DashboardUrl == DashboardAddress.None,
        DashboardUser = DashboardUser,
        StopTimeout = TimeSpan.FromSeconds(StopTimeout),
        StartTimeout = TimeSpan.FromSeconds(StartTimeout),
        VerifyTimeout = TimeSpan.FromSeconds(VerifyTimeout),
        AnnouncementChannels = AnnounceChannels,
    };

    /// <summary>One door for every change of this run, the sandbox set-up included: --dry-run records instead of acting.</summary>
    IEffects Effects => effects ??= IsDryRun ? new DryRunEffects() : new LiveEffects();
    IEffects? effects;

    RunOptions RunOptions => new()
    {
        Effects = Effects,
        BreakLock = BreakLock,
        AllowUndecryptable = AllowUndecryptable,
        Rewrap = Rewrap,
        RewrapSource = SourceOf(nameof(Rewrap)),
        RewrapBy = Enum.Parse<RewrapMode>(RewrapBy, ignoreCase: true),
        KeepSnapshots = KeepSnapshots, // Build.Status.cs
        Confirm = Confirm,
        ApprovedEnvironment = ApprovedEnvironment,
        DashboardPassword = DashboardPassword,
        Python = Python,
        FaultInjector = FaultInjection.Current,
    };

    /// <summary>The GitHub environment whose reviewers approved this Actions job; never from a shell's variables.</summary>
    string? ApprovedEnvironment => ProductionGuard.ApprovedEnvironment(GetEnvironmentVariable);

    /// <summary>The .env file, or GitHub Actions secrets (Build.GitHub.cs).</summary>
    ISecretStore CreateStore(DeploymentSettings settings) => settings.Store switch
    {
        StoreKind.DotEnv => new DotEnvSecretStore(settings.Paths.DotEnv),
        _ => CreateGitHubStore(settings),
    };
}
