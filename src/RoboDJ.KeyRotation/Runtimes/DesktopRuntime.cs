using System.Collections;
using System.Diagnostics;
using Serilog;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The desktop app "RoboDJ Automation" and its launcher. Stop asks nicely (SIGTERM; on Windows WM_CLOSE to its windows,
/// as `taskkill /PID n` without /F does), then kills the whole tree like the runbook's Stop-Process -Force; Start runs
/// the launcher detached with an allow-listed environment (<see cref="ChildEnvironment"/>: no ROBODJ_*, no secret of
/// ours). The process Start launched is tracked from the launch itself, so Stop finds it before the app wrote its pid
/// file, and Start fails at once when it dies before the app is up.
/// A process is the app only when it is this deployment's: one Start launched or a descendant of one, or one whose
/// executable, working folder or command line lies in the deployment. A name alone never makes one (anything can carry
/// it), and a pid file that names a live stranger is refused, naming the pid.
/// </summary>
public sealed class DesktopRuntime(DesktopOptions options) : IRuntime, ITracksLaunches
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan HandOffGrace = TimeSpan.FromSeconds(2);
    readonly IReadOnlyDictionary<string, string> environment = options.Environment ?? ChildEnvironment.Current();
    readonly List<AppProcess> launched = [];

    public IReadOnlyList<AppProcess> Launched { get { lock (launched) return launched.ToList(); } }

    public void Track(AppProcess process)
    {
        // Pid and start time identify a process; its name changes when the launcher execs the app.
        lock (launched) if (!launched.Any(p => p.Pid == process.Pid && p.StartTime == process.StartTime)) launched.Add(process);
    }

    public string Description => $"desktop app '{options.ProcessName}' ({options.Launcher})";

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        LauncherCheck.ThrowIfNotRunnable(options.LauncherPath, environment);
        LauncherCheck.ThrowIfLogUnsafe(options.LogFilePath, options.Root);
        ThrowIfPidFileNamesAStranger();
        WarnAboutInheritedKeys();
        return Task.CompletedTask;
    }

    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RuntimeStatus(Find().Select(p => Unit(p, "running", true)).ToList()));

    public async Task<RuntimeReport> StopAsync(CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"stop {Description}");
        ThrowIfPidFileNamesAStranger();
        // The app by its own signs; before it showed any (no pid file yet), the process Start launched stands for it.
        // Whatever else lives on from a launch (a launcher still waiting, its session) goes down with the tree.
        var launchedAlive = LaunchedAlive().ToList();
        var signs = FindBySigns();
        var roots = signs.Count > 0 ? signs : launchedAlive.Where(p => Launched.Contains(p)).ToList();
        if (roots.Count == 0) roots = launchedAlive;
        if (roots.Count == 0)
        {
            var stale = PidFile.Pid(options.PidFilePath) is { } named ? $" ({options.PidFilePath} named pid {named}, which is gone or started long before the file was written: a stale file, removed)" : "";
            PidFile.RemoveIfStale(options.PidFilePath);
            return new RuntimeReport($"'{options.ProcessName}' was not running{stale}", []);
        }
        var tree = roots.Concat(ProcessTable.Descendants(roots)).Concat(launchedAlive).DistinctBy(p => p.Pid).ToList();
        Log.Information("Stopping '{Name}': pid {Pids}; asking it to exit (grace {Grace} s)", options.ProcessName,
            string.Join(", ", roots.Select(r => r.Pid)), options.GracePeriod.TotalSeconds);
        foreach (var root in roots) AskToExit(root);

        var graceful = await WaitAsync(() => roots.All(r => !r.IsAlive), options.GracePeriod, cancellationToken);
        if (!graceful)
            Log.Warning("'{Name}' did not exit within {Grace} s; killing its process tree", options.ProcessName, options.GracePeriod.TotalSeconds);
        KillTree(roots, tree);
        await WaitAsync(() => tree.All(p => !p.IsAlive) && Find().Count == 0, options.KillTimeout, cancellationToken);

        var left = tree.Where(p => p.IsAlive).Select(p => p.Pid).Union(Find().Select(p => p.Pid)).ToList();
        if (left.Count > 0) throw new ProcessWillNotDieException(options.ProcessName, left);
        PidFile.RemoveIfStale(options.PidFilePath);

        var how = graceful ? "exited gracefully" : "killed";
        var units = roots.Select(r => Unit(r, how, false)).ToList();
        return new RuntimeReport($"stopped '{options.ProcessName}' (pid {string.Join(", ", roots.Select(r => r.Pid))}, {how}); {tree.Count} process(es) in its tree, none left", units);
    }

    public async Task<RuntimeReport> StartAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"start {Description}");
        if (!File.Exists(options.LauncherPath)) throw new LauncherMissingException(options.LauncherPath);
        var already = Find();
        if (already.Count > 0) throw new RuntimeAlreadyRunningException(options.ProcessName, already.Select(p => p.Pid));
        WarnAboutInheritedKeys();
        // Again here: the log may have been swapped for a link or a FIFO since Preflight.
        LauncherCheck.ThrowIfLogUnsafe(options.LogFilePath, options.Root);
        PidFile.RemoveIfStale(options.PidFilePath);

        cancellationToken.ThrowIfCancellationRequested(); // never launch for a run that is already cancelled
        var clock = Stopwatch.StartNew();
        Log.Information("Starting '{Name}' through {Launcher} (allow-listed environment: no ROBODJ_*, no secret of ours)", options.ProcessName, options.LauncherPath);
        var pid = DetachedLauncher.Start(options.LauncherPath, options.LauncherArguments, options.WorkingDirectoryPath, environment, options.LogFilePath);
        var process = ProcessTable.Get(pid);
        if (process is not null) Track(process);
        Log.Information("Launched pid {Pid}", pid);

        var lastProgress = TimeSpan.Zero;
        TimeSpan? goneSince = null;
        while (true)
        {
            var found = FindBySigns();
            if (found.Count > 0)
            {
                var units = found.Select(p => Unit(p, "running", true)).ToList();
                return new RuntimeReport($"started '{options.ProcessName}' (pid {string.Join(", ", found.Select(p => p.Pid))}) in {clock.Elapsed.TotalSeconds:0.0} s", units);
            }
            if (process?.IsAlive != true && ProcessTable.InSession(pid).Count == 0)
            {
                // Gone before any sign of the app. Without sessions (Windows) a launcher may hand off to the app and exit,
                // so it gets a moment; then one more look, and Start fails now rather than at its timeout.
                goneSince ??= clock.Elapsed;
                if ((OperatingSystem.IsLinux() || clock.Elapsed - goneSince >= HandOffGrace) && FindBySigns().Count == 0)
                    throw new AppDiedDuringStartException($"'{options.ProcessName}' (launched through {options.Launcher})", pid, clock.Elapsed, LauncherLogTail());
            }
            if (clock.Elapsed >= options.StartTimeout)
                throw new RuntimeStartTimeoutException($"'{options.ProcessName}'", options.StartTimeout, WhatWeWaitFor(), LauncherLogTail());
            if (clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
            {
                lastProgress = clock.Elapsed;
                Log.Information("Waiting for {What:l}...", WhatWeWaitFor());
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }

    public Task<string> DescribeStopAsync(CancellationToken cancellationToken)
    {
        var found = Find();
        var list = found.Count == 0 ? "(none running)" : string.Join(", ", found.Select(p => $"pid {p.Pid} ({p.Name})"));
        return Task.FromResult($"would stop '{options.ProcessName}': {list}; {Graceful()} then kill the process tree after {options.GracePeriod.TotalSeconds:0.#} s");
    }

    public string DescribeStart() =>
        $"would run {options.LauncherPath} detached in {options.WorkingDirectoryPath} with an allow-listed environment (no ROBODJ_* variable, no secret of ours), " +
        $"then wait up to {options.StartTimeout.TotalSeconds:0} s for {WhatWeWaitFor()}";

    /// <summary>Every process of the app: <see cref="FindBySigns"/> plus what this runtime launched and is still alive.</summary>
    IReadOnlyList<AppProcess> Find() => FindBySigns().Concat(LaunchedAlive()).DistinctBy(p => p.Pid).ToList();

    /// <summary>
    /// The app's own signs of life: the pid file's process when it is trustworthy, and every process with the configured
    /// name; each only when it is this deployment's (<see cref="IsThisDeployments"/>).
    /// </summary>
    IReadOnlyList<AppProcess> FindBySigns()
    {
        var launched = LaunchedAlive().Select(p => p.Pid).ToHashSet();
        var found = new[] { PidFile.Read(options.PidFilePath) }.OfType<AppProcess>()
            .Concat(ProcessTable.ByName(options.ProcessName))
            .DistinctBy(p => p.Pid)
            .Where(p => launched.Contains(p.Pid) || IsThisDeployments(p, out _)).ToList();
        // A child the app just forked carries its name until it execs: it is part of the app's tree, not a second app.
        var children = ProcessTable.Descendants(found).Select(p => p.Pid).ToHashSet();
        return found.Where(p => !children.Contains(p.Pid)).ToList();
    }

    /// <summary>Whether the process's executable, working folder or command line lies in the deployment; else why not.</summary>
    bool IsThisDeployments(AppProcess process, out string whyNot)
    {
        var origin = ProcessTable.OriginOf(process.Pid);
        if (origin.PointsInto(options.Root)) { whyNot = ""; return true; }
        whyNot = $"no Start of this deployment launched it, and none of its origins lies in {options.Root} ({origin.Describe()})";
        Log.Debug("pid {Pid} ({Name}) is not this deployment's app: {Why}", process.Pid, process.Name, whyNot);
        return false;
    }

    /// <summary>A pid file naming a live process that is not the app: stopping it would end a stranger and leave the app running.</summary>
    void ThrowIfPidFileNamesAStranger()
    {
        if (PidFile.Read(options.PidFilePath) is not { } named) return;
        if (LaunchedAlive().Any(p => p.Pid == named.Pid) || IsThisDeployments(named, out var why)) return;
        throw new PidFileNamesAnotherProcessException(options.PidFilePath!, named, why, options.Root);
    }

    /// <summary>
    /// The launched processes still alive (same start time, so never a reused pid), their descendants, and what lives on
    /// in their sessions (Linux; on Windows an orphan still names its launched parent).
    /// </summary>
    IEnumerable<AppProcess> LaunchedAlive()
    {
        var launched = Launched;
        return launched.Where(p => p.IsAlive).Concat(ProcessTable.Descendants(launched))
            .Concat(launched.SelectMany(p => ProcessTable.InSession(p.Pid))).DistinctBy(p => p.Pid);
    }

    /// <summary>
    /// SIGTERM; on Windows `taskkill /PID n` without /F, which posts WM_CLOSE to each of the process's top-level windows,
    /// hidden ones too (CloseMainWindow reaches only a visible main window): what closing the app by hand does.
    /// </summary>
    static void AskToExit(AppProcess process)
    {
        if (!OperatingSystem.IsWindows()) { UnixSignal.Send(process.Pid, UnixSignal.SigTerm); return; }
        var taskkill = Path.Combine(Environment.SystemDirectory, "taskkill.exe");
        var psi = new ProcessStartInfo(File.Exists(taskkill) ? taskkill : "taskkill.exe") { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "/PID", process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return;
            var said = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(5_000)) { p.Kill(); return; }
            // A process without a window cannot be asked (taskkill says it can only be ended with /F): the grace period runs out, then the kill.
            Log.Debug("taskkill /PID {Pid}: exit {Code}, {Said} {Errors}", process.Pid, p.ExitCode, said.Result.Trim(), errors.Result.Trim());
        }
        catch (System.ComponentModel.Win32Exception e) { Log.Warning("Could not run taskkill to ask pid {Pid} to close: {Error}", process.Pid, e.Message); }
    }

    static void KillTree(IEnumerable<AppProcess> roots, IEnumerable<AppProcess> tree)
    {
        foreach (var root in roots.Where(r => r.IsAlive))
            try { using var p = Process.GetProcessById(root.Pid); p.Kill(entireProcessTree: true); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        // Children the root left behind after it exited are no longer in its tree as the OS sees it.
        foreach (var orphan in tree.Where(p => p.IsAlive))
            if (!UnixSignal.Send(orphan.Pid, UnixSignal.SigKill) && OperatingSystem.IsWindows())
                try { using var p = Process.GetProcessById(orphan.Pid); p.Kill(); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    static async Task<bool> WaitAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed >= timeout) return false;
            await Task.Delay(Poll, cancellationToken);
        }
        return true;
    }

    /// <summary>python-dotenv does not override inherited variables, so a machine- or user-level ROBODJ_* beats .env.</summary>
    void WarnAboutInheritedKeys()
    {
        if (!OperatingSystem.IsWindows()) return;
        foreach (var target in new[] { EnvironmentVariableTarget.Machine, EnvironmentVariableTarget.User })
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables(target))
                if (e.Key is string name && ChildEnvironment.IsRoboDj(name))
                    Log.Warning("{Name} is set in the {Target} environment. python-dotenv does not override inherited values, so it would beat .env " +
                                "for every process started from Explorer. Fix: remove it under System Properties > Environment Variables", name, target);
    }

    string WhatWeWaitFor() =>
        options.PidFilePath is { } pidFile ? $"a live pid in {pidFile} or a process named '{options.ProcessName}' of this deployment" : $"a process named '{options.ProcessName}' of this deployment";

    static string Graceful() => OperatingSystem.IsWindows() ? "ask it to close (taskkill /PID without /F: WM_CLOSE to its windows)," : "send SIGTERM,";

    string LauncherLogTail()
    {
        if (options.LogFilePath is not { } log || !File.Exists(log)) return "";
        var lines = File.ReadLines(log).TakeLast(20);
        return $"--- last lines of {log} ---\n" + string.Join('\n', lines);
    }

    static RuntimeUnit Unit(AppProcess p, string detail, bool running) => new(p.Name, p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, running);
}
