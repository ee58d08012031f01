namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// A job of the workflow that runs on a <c>schedule:</c> (cron) for one environment, beside the workflow's own job, which
/// then runs only when the event is not the schedule. It is that job with the environment input read as
/// <see cref="Environment"/> (job environment, concurrency group, artifact name), and <c>--{EnvironmentParameter}
/// {Environment}</c> passed to the build. When the first build exits with <see cref="FollowUpOnExitCode"/>, a second
/// step runs <see cref="FollowUpTargets"/> (e.g. Status exits 6, the key is overdue: Rotate).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubActionsScheduledJobAttribute(string workflow, string environment) : Attribute
{
    public string Workflow { get; } = workflow;
    public string Environment { get; } = environment;

    /// <summary>Five-field cron in UTC; every scheduled job of one workflow gives the same one (the schedule is the workflow's).</summary>
    public string Cron { get; set; } = "";

    public string[] InvokedTargets { get; set; } = [];

    /// <summary>The parameter that names the environment, and the workflow input that carries it for a dispatch.</summary>
    public string EnvironmentParameter { get; set; } = "env";

    /// <summary>0: no follow-up. Otherwise the first build's exit code that runs <see cref="FollowUpTargets"/>; it does not fail the job.</summary>
    public int FollowUpOnExitCode { get; set; }

    public string[] FollowUpTargets { get; set; } = [];

    /// <summary>
    /// Whether the job runs under the GitHub environment (its secrets and its protection rules). False for a job that must
    /// never wait for a reviewer nor get the environment's secrets, e.g. a reminder about production.
    /// </summary>
    public bool UseJobEnvironment { get; set; } = true;

    /// <summary>
    /// The secrets this job maps, when not the workflow's: a job without its environment would otherwise get the
    /// repository-level secrets of the same names (e.g. another scope's keys).
    /// </summary>
    public string[]? Secrets { get; set; }

    internal string JobId => "scheduled-" + Environment;
}
