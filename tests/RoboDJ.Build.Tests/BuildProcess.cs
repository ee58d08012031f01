using System.Diagnostics;
using System.Text;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Runs the built build (build/bin/&lt;configuration&gt;/net10.0/_build.dll) as a process, with its own .nuke/ in a temp
/// folder (--root, unless the arguments give one) holding copies of the repository's parameters files, so that nothing
/// in the repository changes.
/// </summary>
public sealed class BuildProcess : IDisposable
{
    readonly TempDir root = new("robodj-build-root");

    public BuildProcess()
    {
        var nuke = Directory.CreateDirectory(root.Combine(".nuke")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, ".nuke"), "parameters*.json"))
            File.Copy(file, Path.Combine(nuke, Path.GetFileName(file)));
    }

    public string Root => root.Path;

    public static string RepositoryRoot => Testing.RepositoryRoot.Path;

    /// <summary>The built build program, for a test that runs it its own way (e.g. as a workflow step's ./build.sh).</summary>
    public static string BuildDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot, "build", "bin", configuration, "net10.0", "_build.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing; build build/_build.csproj first.");
        return dll;
    }

    static string TestHooksAssembly => Path.Combine(AppContext.BaseDirectory, "RoboDJ.TestHooks.dll");

    /// <param name="Output">Stdout and stderr, line by line in the order they arrived.</param>
    /// <param name="Pid">The build's process id, as a message about its lock names it.</param>
    public sealed record Result(int ExitCode, string Output, int Pid = 0)
    {
        public string Stdout { get; init; } = "";
        public string Stderr { get; init; } = "";
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    /// <summary>Runs the build; the environment gets <paramref name="environment"/> on top of this one, minus every ROBODJ_*.</summary>
    /// <param name="during">Runs alongside the build, e.g. to signal it at a chosen moment.</param>
    /// <param name="umask">The umask the build is started with (e.g. "000", as a careless service would give it); null: this process's.</param>
    public async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null,
        Func<Process, Task>? during = null, string? umask = null)
    {
        var info = new ProcessStartInfo(umask is null ? "dotnet" : "/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root.Path };
        // exec keeps the pid, so a signal to the process still reaches the build.
        if (umask is not null) foreach (var a in (string[])["-c", "umask \"$1\" && shift && exec dotnet \"$@\"", "sh", umask]) info.ArgumentList.Add(a);
        info.ArgumentList.Add(BuildDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        if (!args.Contains("--root"))
        {
            info.ArgumentList.Add("--root");
            info.ArgumentList.Add(root.Path);
        }
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_", StringComparison.OrdinalIgnoreCase) || k is "CI" or "GITHUB_ACTIONS").ToList())
            info.Environment.Remove(name);
        info.Environment["NO_COLOR"] = "1";
        // Notes on one line each, so a phrase is found whole; wrapping is the layout tests' business (SummaryLayoutTests).
        info.Environment["COLUMNS"] = "1000";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        // The shipped build has no test hooks; a test that asks for them gets them loaded as a startup hook.
        if (info.Environment.TryGetValue("ROBODJ_TEST_HOOKS", out var hooks) && hooks == "1")
            info.Environment["DOTNET_STARTUP_HOOKS"] = TestHooksAssembly;

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var (outText, errText) = (new StringBuilder(), new StringBuilder());
        var stdout = PumpAsync(process.StandardOutput, output, outText);
        var stderr = PumpAsync(process.StandardError, output, errText);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var alongside = during?.Invoke(process) ?? Task.CompletedTask;
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the build did not finish in time:\n{output}");
        }
        try { await Task.WhenAll(stdout, stderr, alongside).WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException)
        {
            // An operator's terminal or a CI step would hang the same way: a process the build left holds its output open.
            throw new TimeoutException($"the build exited ({process.ExitCode}), but its output is still held open 30 s later " +
                $"(a process it started inherited it) or the action alongside it did not end:\n{output}");
        }
        return new Result(process.ExitCode, output.ToString(), process.Id) { Stdout = outText.ToString(), Stderr = errText.ToString() };
    }

    /// <summary>
    /// Polls, for an action alongside the build, until <paramref name="condition"/> holds; false if the build exited first,
    /// so that the action never outwaits the build it watches.
    /// </summary>
    public static async Task<bool> UntilAsync(Process build, Func<bool> condition)
    {
        while (!condition())
        {
            if (build.HasExited) return false;
            await Task.Delay(20);
        }
        return true;
    }

    static async Task PumpAsync(StreamReader reader, StringBuilder into, StringBuilder own)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            own.AppendLine(line);
            lock (into) into.AppendLine(line);
        }
    }

    public void Dispose() => root.Dispose();
}
