using System.Runtime.InteropServices;
using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Pipeline.Internal;
using Serilog;

namespace RoboDJ.Pipeline;

/// <summary>
/// Runs a build in this process. <see cref="PipelineBuild.Execute{T}"/> calls it with the real console, environment and
/// signals; tests call <see cref="Run{TBuild}"/> with their own writer, folder and environment, and get the exit code.
/// </summary>
public static class PipelineHost
{
    /// <param name="args">The command line without the program name.</param>
    /// <param name="console">Receives what the console's stdout would (already redacted): results, the help, the plan, the summary.</param>
    /// <param name="rootDirectory">The folder holding .nuke/ (overridden by --root).</param>
    /// <param name="environment">The build's environment variables; the process's are not read.</param>
    /// <param name="defaultTarget">The target run when none is named, e.g. <c>x => x.Rotate</c>.</param>
    /// <param name="cancellation">Stands in for Ctrl-C/SIGTERM.</param>
    /// <param name="colour">ANSI colour on the console (the process host decides from the terminal and NO_COLOR).</param>
    /// <param name="consoleWidth">Columns for the help and the summary table; null: COLUMNS from <paramref name="environment"/>, else 120.</param>
    /// <param name="errorConsole">Receives what stderr would: warnings and errors; null: <paramref name="console"/>.</param>
    public static int Run<TBuild>(string[] args, TextWriter console, string rootDirectory, IDictionary<string, string> environment,
        Func<TBuild, Target>? defaultTarget = null, CancellationToken cancellation = default, bool colour = false, int? consoleWidth = null,
        TextWriter? errorConsole = null)
        where TBuild : PipelineBuild, new()
    {
        var env = new Dictionary<string, string>(environment);
        var width = consoleWidth ?? (env.TryGetValue("COLUMNS", out var columns) && int.TryParse(columns, out var n) && n > 0 ? n : ConsoleOutput.DefaultWidth);
        var output = new ConsoleOutput(console, errorConsole ?? console, colour, width);
        var verbose = args.SkipWhile(a => !string.Equals(a, "--verbosity", StringComparison.OrdinalIgnoreCase)).Skip(1).FirstOrDefault() is { } v
                      && v.Equals("verbose", StringComparison.OrdinalIgnoreCase);
        using var actions = env.TryGetValue("GITHUB_ACTIONS", out var gha) && gha.Equals("true", StringComparison.OrdinalIgnoreCase)
            ? new GitHubActions(output) : null;
        TBuild? build = null;
        var dryRun = false;
        try
        {
            build = new TBuild();
            var targets = TargetCollector.Collect(build);
            var parameters = ParameterMember.Of(typeof(TBuild));
            var cli = CommandLine.Parse(args, parameters);
            dryRun = cli.DryRun;
            verbose = cli.Verbosity == Verbosity.Verbose;
            var defaultExecutable = defaultTarget is null ? null : targets.FirstOrDefault(t => t.Factory.Equals(defaultTarget(build)));

            if (cli.Help)
            {
                HelpWriter.Write(output, typeof(TBuild), targets, defaultExecutable, parameters);
                return 0;
            }
            var root = Path.GetFullPath(cli.Root ?? rootDirectory);
            if (cli.Root is not null) CommandLine.CheckRoot(root);
            if (cli.GenerateConfiguration)
            {
                foreach (var written in GitHubActionsWorkflowWriter.WriteAll(typeof(TBuild), root)) output.Line($"Wrote {written}.");
                return 0;
            }
            if (cli.GenerateSchema)
            {
                var path = Path.Combine(root, ".nuke", "build.schema.json");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, SchemaGenerator.Generate(typeof(TBuild)));
                output.Line($"Wrote .nuke/build.schema.json ({targets.Count} targets, {parameters.Count} parameters).");
                return 0;
            }

            return BindPlanAndRun(build, targets, defaultExecutable, parameters, cli, env, root, actions, output, cancellation);
        }
        catch (BuildInputException e)
        {
            ShowError(output, actions, e, verbose);
            return build?.GetExitCode(new BuildSummary([], BuildOutcome.BadInput, dryRun, SecretRedactor.Redact(e.Message))) ?? 2;
        }
        catch (Exception e)
        {
            ShowError(output, actions, e, verbose);
            return build?.GetExitCode(new BuildSummary([], BuildOutcome.Failed, dryRun, SecretRedactor.Redact(e.Message))) ?? 1;
        }
        finally
        {
            output.Flush();
        }
    }


    // Kept apart from Run so that --help and --generate-schema never load Serilog or the executor (warm start budget).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static int BindPlanAndRun(PipelineBuild build, IReadOnlyList<ExecutableTarget> targets, ExecutableTarget? defaultExecutable,
        IReadOnlyList<ParameterMember> parameters, CommandLine cli, Dictionary<string, string> env, string root,
        GitHubActions? actions, ConsoleOutput output, CancellationToken cancellation)
    {
        var sources = ParameterBinder.Bind(build, parameters, cli, env, root);
        build.Context = new BuildContext(root, cli.DryRun, cancellation, actions is not null, env, sources);
        var temp = Path.Combine(root, ".nuke", "temp");
        using var logging = new LoggingSetup(output, cli.Verbosity, actions, cli.Plan ? null : Path.Combine(temp, "logs"), build);
        build.OnBuildInitialized();

        var invoked = cli.Targets.Count > 0 ? cli.Targets
            : defaultExecutable is not null ? [defaultExecutable.Name]
            : throw new BuildInputException($"No target given. Valid targets: {string.Join(", ", targets.Where(t => t.IsListed).Select(t => t.Name))}.");
        var plan = Planner.Plan(targets, invoked, cli.Skip);
        build.Invoked = plan.Invoked;
        foreach (var ignored in plan.IgnoredSkips) Log.Warning("--skip {Target} ignored: it was invoked, and an invoked target always runs", ignored.Name);
        Planner.ApplyStaticConditions(plan);
        if (cli.Plan)
        {
            PlanWriter.Write(output, plan, temp);
            return 0;
        }
        CheckRequirements(plan, parameters);

        logging.StartFile();
        if (logging.LogFile is { } file) Log.Debug("Log file {LogFile}", Path.GetRelativePath(root, file));
        var summary = new Executor(build, output, actions, cli.Verbosity).RunAsync(plan, cli.DryRun, cancellation).GetAwaiter().GetResult();
        SummaryWriter.Write(output, summary);
        if (actions is not null)
            GitHubStepSummary.TryAppend(StepSummaryReport.From(summary, string.Join(" ", plan.Invoked.Select(t => t.Name)),
                StepSummaryReport.EdgesOf(plan), build.GetSummarySections(summary).Concat(build.AddedSummarySections)), env);
        build.OnBuildFinished(summary);
        SummaryWriter.WriteOutcome(output, summary);
        return build.GetExitCode(summary);
    }

    /// <summary>Every Requires of every target that will run is checked before the first one starts.</summary>
    static void CheckRequirements(ExecutionPlan plan, IReadOnlyList<ParameterMember> parameters)
    {
        foreach (var t in plan.Ordered.Where(t => !plan.SkipReasons.ContainsKey(t)))
            foreach (var (check, text) in t.Definition.Requirements)
                if (!check())
                {
                    var p = parameters.FirstOrDefault(p => p.Name == text);
                    var hint = p is null ? "" : p.IsSecret ? $": set the environment variable {p.EnvironmentName}"
                        : p.EnvironmentName is null ? $": give --{p.Kebab} <value>" : $": give --{p.Kebab} <value> or set {p.EnvironmentName}";
                    throw new BuildInputException($"Target '{t.Name}' requires {(p is null ? ReasonWords.Of(text) : text)}{hint}.");
                }
    }

    static void ShowError(ConsoleOutput output, GitHubActions? actions, Exception e, bool verbose)
    {
        output.Error("error: " + e.Message.ReplaceLineEndings(" "), ConsoleOutput.Red);
        actions?.Annotate("error", e.Message);
        if (verbose) output.Error(e.ToString(), ConsoleOutput.Grey);
    }

    internal static int RunProcess<TBuild>(Func<TBuild, Target> defaultTarget, string[] args) where TBuild : PipelineBuild, new()
    {
        IO.FileCreationMask.RestrictToOwner();
        using var cts = new CancellationTokenSource();
        void Cancel(string signal)
        {
            if (cts.IsCancellationRequested) return;
            Console.Error.WriteLine($"{signal}: cancelling; assured targets still run (press Ctrl-C again to kill).");
            cts.Cancel();
        }
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            // The second Ctrl-C ends the process at once.
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Cancel("Ctrl-C");
        };
        Console.CancelKeyPress += onCtrlC;
        using var sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Cancel("SIGTERM"); });
        try
        {
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
            // Colour only when both streams reach the terminal: `2> file` must not fill the file with escape codes.
            var colour = !Console.IsOutputRedirected && !Console.IsErrorRedirected && !environment.ContainsKey("NO_COLOR");
            return Run(args, Console.Out, FindRoot(AppContext.BaseDirectory, Directory.GetCurrentDirectory()), environment, defaultTarget, cts.Token, colour,
                TerminalWidth(), Console.Error);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>The terminal's columns; null when the output goes to a file or a pipe (then COLUMNS, or the default).</summary>
    static int? TerminalWidth()
    {
        if (Console.IsOutputRedirected) return null;
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : null; }
        catch (IOException) { return null; }
    }

    /// <summary>
    /// The nearest folder holding .nuke/ above the build program (it lives in the repository: .nuke/temp/bin or
    /// build/bin), so that build.sh run from any folder finds its own repository; then above the current folder; else
    /// the current folder.
    /// </summary>
    internal static string FindRoot(string buildDirectory, string currentDirectory) =>
        NearestRoot(buildDirectory) ?? NearestRoot(currentDirectory) ?? currentDirectory;

    static string? NearestRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".nuke"))) return dir.FullName;
        return null;
    }
}
