using RoboDJ.Pipeline.Internal;

namespace RoboDJ.Pipeline;

/// <summary>
/// The base of a build: <c>partial class Build : PipelineBuild</c> with
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Rotate);</c>.
/// </summary>
public abstract class PipelineBuild
{
    internal BuildContext Context { get; set; } = BuildContext.Empty;
    internal IReadOnlyList<ExecutableTarget> Invoked { get; set; } = [];

    /// <summary>Runs the build with the process's arguments and environment; returns the exit code.</summary>
    public static int Execute<T>(Func<T, Target> defaultTarget) where T : PipelineBuild, new()
        => PipelineHost.RunProcess(defaultTarget, Environment.GetCommandLineArgs().Skip(1).ToArray());

    /// <summary>The folder holding <c>.nuke/</c>, or <c>--root</c>.</summary>
    protected string RootDirectory => Context.RootDirectory;
    /// <summary><c>.nuke/temp</c> below <see cref="RootDirectory"/>.</summary>
    protected string TemporaryDirectory => Path.Combine(Context.RootDirectory, ".nuke", "temp");
    /// <summary><c>--dry-run</c>: targets run, and helpers only describe what they would change.</summary>
    protected bool IsDryRun => Context.IsDryRun;
    /// <summary>
    /// The build's token, cancelled on Ctrl-C/SIGTERM; an assured target can test it to know the build was interrupted,
    /// while the token its Executes receives stays live so its clean-up can finish.
    /// </summary>
    protected CancellationToken Cancellation => Context.Cancellation;
    /// <summary>True under GITHUB_ACTIONS=true.</summary>
    protected bool IsGitHubActions => Context.IsGitHubActions;
    /// <summary>
    /// A variable of the build's environment (the process's, or the one a test passed to the host) by its exact,
    /// documented name (GITHUB_TOKEN, GITHUB_OUTPUT); empty counts as unset, as GitHub passes an unset secret as "".
    /// Parameters never come from here: they bind as ROTATION_&lt;NAME&gt; (<see cref="ParameterAttribute"/>).
    /// </summary>
    protected string? GetEnvironmentVariable(string name) => Context.Environment.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>
    /// Where a parameter's value came from, for an error about it: "--deployment-root", "environment variable
    /// ROTATION_DEPLOYMENT_ROOT", ".nuke/parameters.staging.json, $.DeploymentRoot" or "its default".
    /// </summary>
    protected string SourceOf(string parameterName) =>
        Context.ParameterSources.TryGetValue(parameterName, out var source) ? source : throw new ArgumentException($"{parameterName} is not a parameter of this build.", nameof(parameterName));

    /// <summary>True when the operator named this target (or it is the default one), as NUKE's InvokedTargets says.</summary>
    protected bool IsInvoked(Target target) => Invoked.Any(t => t.Factory.Equals(target));

    /// <summary>Sets the current target's note in the summary table (redacted like everything else).</summary>
    protected void Note(string text) => Context.CurrentNote = text;

    /// <summary>
    /// Maps the outcome to the process exit code. Defaults: 0 succeeded, 1 a target failed, 2 bad input or usage
    /// (unknown target or parameter, invalid value, malformed parameters file, cycle, failed Requires), 130 cancelled
    /// (Ctrl-C/SIGTERM). Override to give failure classes their own codes.
    /// </summary>
    protected internal virtual int GetExitCode(BuildSummary summary) => summary.Outcome switch
    {
        BuildOutcome.Succeeded => 0,
        BuildOutcome.Failed => 1,
        BuildOutcome.BadInput => 2,
        BuildOutcome.Cancelled => 130,
        _ => 1,
    };

    /// <summary>
    /// Properties every log event of the run carries (through Serilog's LogContext), read again at each event, so a
    /// value the build learns late (a rotation id) reaches every event after it. A null value is left out. The engine
    /// adds the target.
    /// </summary>
    protected internal virtual IEnumerable<KeyValuePair<string, object?>> LogContextProperties => [];

    /// <summary>After parameters are bound, before planning.</summary>
    protected internal virtual void OnBuildInitialized() { }

    /// <summary>After the summary was written, e.g. to print manual steps.</summary>
    protected internal virtual void OnBuildFinished(BuildSummary summary) { }

    /// <summary>Extra sections for the GitHub job summary: fingerprints, census counts, issue links.</summary>
    protected internal virtual IEnumerable<CI.GitHubActions.StepSummarySection> GetSummarySections(BuildSummary summary) => [];

    readonly List<CI.GitHubActions.StepSummarySection> addedSections = [];

    /// <summary>
    /// Adds a section to the GitHub job summary from inside a target (e.g. what Status saw, also when it fails), so a
    /// target's facts need no field for <see cref="GetSummarySections"/> to read. Shown after those sections, in order added.
    /// </summary>
    protected void AddSummarySection(CI.GitHubActions.StepSummarySection section)
    {
        lock (addedSections) addedSections.Add(section);
    }

    internal IReadOnlyList<CI.GitHubActions.StepSummarySection> AddedSummarySections
    {
        get { lock (addedSections) return addedSections.ToList(); }
    }
}
