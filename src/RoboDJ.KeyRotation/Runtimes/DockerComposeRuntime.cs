using System.Diagnostics;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// A docker compose project: Stop is `down`, Start is `up -d` with ROBODJ_* stripped so that .env wins, and both are
/// confirmed through the Docker API by the compose labels, never by container names.
/// </summary>
public sealed class DockerComposeRuntime : IRuntime, IDisposable
{
    const int LogLines = 20;
    readonly DockerComposeOptions options;
    readonly DockerEngine engine;
    readonly ComposeCli cli;

    public DockerComposeRuntime(DockerComposeOptions options)
    {
        this.options = options;
        var environment = options.Environment ?? ChildEnvironment.Current();
        engine = new DockerEngine(DockerEngineAddress.FromEnvironment(environment));
        cli = new ComposeCli(options.ProjectName, options.ComposeFilePath, Path.GetFullPath(options.DeploymentRoot), environment);
    }

    public string Description => $"docker compose project {options.ProjectName} ({options.ComposeFile})";

    public Uri EngineAddress => engine.Address;

    /// <summary>The compose CLI in use, detected once (v2 plugin preferred).</summary>
    public Task<ComposeFlavor> ComposeFlavorAsync(CancellationToken cancellationToken) => cli.DetectAsync(cancellationToken);

    /// <summary>Preflight: names, the compose file (it must also parse and validate), the CLI, the engine.</summary>
    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        CheckConfiguration();
        await CheckComposeFileAsync(cancellationToken);
        await engine.PingAsync(cancellationToken);
    }

    /// <summary>
    /// `config -q` reads the file as up -d will: a file it refuses would let Stop take the app down and Start fail after
    /// the keys moved, so it is a refusal before any change, in compose's own words (which name the line).
    /// </summary>
    async Task CheckComposeFileAsync(CancellationToken cancellationToken)
    {
        try { await cli.RunAsync(options.CommandTimeout, cancellationToken, "config", "-q"); }
        catch (ComposeCommandFailedException e) when (e.ExitCode > 0) { throw new ComposeFileInvalidException(options.ComposeFilePath, e.Error); }
    }

    void CheckConfiguration()
    {
        ComposeProjectName.Validate(options.ProjectName);
        if (!File.Exists(options.ComposeFilePath)) throw new ComposeFileMissingException(options.ComposeFilePath);
    }

    public async Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var containers = await engine.ListAsync(options.ProjectName, all: true, cancellationToken);
        return new RuntimeStatus(containers.Select(c => new RuntimeUnit(DockerEngine.Service(c.Labels), DockerEngine.ShortId(c.ID), c.Image, c.State == "running")).ToList());
    }

    public async Task<RuntimeReport> StopAsync(CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"stop {Description}");
        CheckConfiguration();
        var before = (await RunningAsync(cancellationToken)).Select(u => u with { Running = false }).ToList();
        Log.Information("Stopping {Count} container(s) of project {Project}: {Units}", before.Count, options.ProjectName, List(before));
        await cli.RunAsync(options.CommandTimeout, cancellationToken, "down", "-t", Seconds(options.StopTimeout));
        var after = await RunningAsync(cancellationToken);
        if (after.Count > 0) throw new ContainersStillRunningException(options.ProjectName, after);
        return new RuntimeReport($"stopped {before.Count} container(s) of project {options.ProjectName}: {List(before)}; none still runs", before);
    }

    public async Task<RuntimeReport> StartAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"start {Description}");
        CheckConfiguration();
        var clock = Stopwatch.StartNew();
        await cli.RunAsync(options.CommandTimeout, cancellationToken, "up", "-d");
        var ready = await WaitUntilUpAsync(notBefore, cancellationToken);
        var units = ready.Select(r => new RuntimeUnit(r.Service, r.Id, $"{r.Image}, {r.Note}", true)).ToList();
        return new RuntimeReport($"started {units.Count} container(s) of project {options.ProjectName} in {clock.Elapsed.TotalSeconds:0.0} s: {List(units)}", units);
    }

    async Task<IReadOnlyList<ContainerReadiness>> WaitUntilUpAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        string? lastWaitingFor = null;
        IReadOnlyList<ContainerReadiness> states = [];
        while (true)
        {
            var containers = await engine.ListAsync(options.ProjectName, all: true, cancellationToken);
            var inspected = new List<ContainerReadiness>();
            foreach (var c in containers)
            {
                // A container removed between list and inspect is simply no longer part of the project.
                try { inspected.Add(ContainerReadiness.Of(await engine.InspectAsync(c.ID, cancellationToken), notBefore)); }
                catch (Docker.DotNet.DockerContainerNotFoundException) { }
            }
            states = inspected;

            if (states.FirstOrDefault(s => s.State == ReadinessState.Failed) is { } failed)
                throw new ContainerUnhealthyException(failed.Service, failed.Id, failed.Note,
                    await engine.TailLogAsync(failed.Id, failed.Tty, LogLines, cancellationToken));
            var pending = states.Where(s => s.State != ReadinessState.Ready).ToList();
            if (states.Count > 0 && pending.Count == 0) return states;

            var waitingFor = states.Count == 0 ? "no container of the project exists yet" : string.Join(", ", pending.Select(p => $"{p.Service} ({p.Note})"));
            if (deadline.Elapsed >= options.HealthTimeout)
            {
                var logs = new List<string>();
                foreach (var p in pending)
                    logs.Add($"--- last log lines of {p.Service} ---\n{await engine.TailLogAsync(p.Id, p.Tty, LogLines, cancellationToken)}");
                throw new RuntimeStartTimeoutException($"compose project {options.ProjectName}", options.HealthTimeout, waitingFor, string.Join('\n', logs));
            }
            // Said when what we wait for changes, and at least every second while it does not.
            if (waitingFor != lastWaitingFor || deadline.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
            {
                lastProgress = deadline.Elapsed;
                lastWaitingFor = waitingFor;
                Log.Information("Waiting for {Pending}/{Total} containers: {WaitingFor:l}...", pending.Count, states.Count, waitingFor);
            }
            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The fingerprint of <paramref name="variable"/> in each running container's environment, read through the API.
    /// The value stays in memory: it is registered with the redactor and only its fingerprint leaves this method.
    /// </summary>
    public async Task<IReadOnlyList<ServiceKey>> KeyFingerprintsAsync(string variable, CancellationToken cancellationToken)
    {
        var result = new List<ServiceKey>();
        foreach (var c in await engine.ListAsync(options.ProjectName, all: false, cancellationToken))
        {
            var inspect = await engine.InspectAsync(c.ID, cancellationToken);
            var prefix = variable + "=";
            var entry = inspect.Config?.Env?.LastOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal));
            Fingerprint? key = null;
            if (entry is not null)
            {
                var value = entry[prefix.Length..];
                SecretRedactor.Register(value);
                key = Fingerprint.Of(value);
            }
            result.Add(new ServiceKey(DockerEngine.Service(c.Labels), DockerEngine.ShortId(c.ID), key));
        }
        return result;
    }

    public async Task<string> DescribeStopAsync(CancellationToken cancellationToken)
    {
        var running = await RunningAsync(cancellationToken);
        return $"would stop {running.Count} container(s) of project {options.ProjectName}: {List(running)} (`{cli.Describe(null, "down", "-t", Seconds(options.StopTimeout))}`)";
    }

    public string DescribeStart() =>
        $"would run `{cli.Describe(null, "up", "-d")}` in {Path.GetFullPath(options.DeploymentRoot)} with every ROBODJ_* variable removed from its environment, " +
        $"then wait up to {options.HealthTimeout.TotalSeconds:0} s until each container runs (and is healthy where it has a healthcheck)";

    async Task<IReadOnlyList<RuntimeUnit>> RunningAsync(CancellationToken cancellationToken) =>
        (await engine.ListAsync(options.ProjectName, all: false, cancellationToken))
        .Select(c => new RuntimeUnit(DockerEngine.Service(c.Labels), DockerEngine.ShortId(c.ID), c.Image, true)).ToList();

    static string List(IEnumerable<RuntimeUnit> units)
    {
        var text = string.Join(", ", units.Select(u => $"{u.Name} ({u.Id}, {u.Detail})"));
        return text.Length == 0 ? "(none)" : text;
    }

    static string Seconds(TimeSpan t) => ((int)Math.Ceiling(t.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => engine.Dispose();
}
