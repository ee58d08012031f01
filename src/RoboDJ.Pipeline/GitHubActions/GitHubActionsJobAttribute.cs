namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// One job of a workflow that is a graph of jobs rather than NUKE's single job: when a workflow has any, they replace
/// its job, in declaration order, each checking out, setting up .NET and running <c>./build.sh</c> with
/// <see cref="InvokedTargets"/> under the workflow's settings (environment, permissions, secrets, inputs, deployment
/// root, artifact). <see cref="Needs"/> is the barrier; <see cref="Matrix"/> fans the job out (e.g. one per host), with
/// <c>fail-fast: false</c> so every host of a phase reports. The workflow's concurrency group is then written at the
/// top level: a job-level group shared by the jobs of one run would cancel their pending matrix legs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubActionsJobAttribute(string workflow, string id) : Attribute
{
    public string Workflow { get; } = workflow;
    public string Id { get; } = id;
    public string? DisplayName { get; set; }
    public string[] Needs { get; set; } = [];
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Arguments after the targets and inputs, literally (shell words: refer to <see cref="Env"/> variables, never to an expression).</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>Step environment entries <c>NAME=expression</c>, e.g. <c>FLEET_HOST=${{ matrix.host }}</c>: expressions go to env, not into the script.</summary>
    public string[] Env { get; set; } = [];

    /// <summary>Runner labels; the workflow's when empty (an expression such as <c>${{ matrix.runner }}</c> is allowed).</summary>
    public string[] RunsOn { get; set; } = [];

    /// <summary>The matrix as one expression, e.g. <c>${{ fromJSON(needs.plan.outputs.hosts) }}</c>; no strategy when null.</summary>
    public string? Matrix { get; set; }

    /// <summary>With a matrix: how many of its jobs run at once (0: no limit).</summary>
    public int MaxParallel { get; set; }

    /// <summary>Job outputs <c>name</c> read from the build step's outputs (the build writes them to $GITHUB_OUTPUT).</summary>
    public string[] Outputs { get; set; } = [];

    /// <summary>This job's secret mapping instead of the workflow's (<c>NAME</c> or <c>NAME=SECRET</c>).</summary>
    public string[]? Secrets { get; set; }

    /// <summary>Appended to the workflow's artifact name, so each job's upload has its own (expressions allowed).</summary>
    public string ArtifactSuffix { get; set; } = "";
}
