using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Windows;

/// <summary>
/// The pipeline as it runs on Windows, under Wine (Debian's wine64): `_build`, the sandbox app (as
/// `RoboDJ Automation.exe`) and the atomic-writer probe published self-contained for win-x64 once per set of inputs
/// (cached under .nuke/temp/wine/ by a hash of every source file they are built from), run in a private WINEPREFIX
/// made once per test run with WINEDEBUG=-all. `/` is drive Z:. Windows' Python cannot be had without the network, so the
/// app is the sandbox app, not the Python reference app; the independent Python census runs on the Linux side.
/// </summary>
public static class WinePeer
{
    static readonly Lazy<string?> wine = new(() => new[] { "/usr/lib/wine/wine64", Peers.FindOnPath("wine64"), Peers.FindOnPath("wine") }
        .OfType<string>().FirstOrDefault(File.Exists));
    static readonly Lazy<string> prefix = new(MakePrefix);
    static readonly Lazy<Task<Published>> published = new(PublishAsync);

    /// <summary>The three programs, as Linux paths.</summary>
    public sealed record Published(string Build, string App, string Probe)
    {
        public string BuildExe => Path.Combine(Build, "_build.exe");
        public string ProbeExe => Path.Combine(Probe, "RoboDJ.AtomicWriter.Probe.exe");
    }

    public sealed record Result(int ExitCode, string Output, TimeSpan Took)
    {
        public override string ToString() => $"exit {ExitCode} after {Took.TotalSeconds:0.0} s\n{Output}";
    }

    /// <summary>The Wine loader, or a skip (a failure under CI=true) naming what to install.</summary>
    public static string Loader()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("this is Windows: the native tests (ci.yml's windows job) prove what Wine stands in for");
        if (wine.Value is null) Peers.Missing("no wine64 (apt-get install wine64; .ci/prepare installs it)");
        return wine.Value!;
    }

    public static string Server => Path.Combine(Path.GetDirectoryName(Loader())!, File.Exists(Path.Combine(Path.GetDirectoryName(Loader())!, "wineserver")) ? "wineserver" : "wineserver64");

    public static Task<Published> ProgramsAsync()
    {
        Loader();
        _ = prefix.Value;
        return published.Value;
    }

    /// <summary>A Linux path as a Windows program sees it: drive Z: is the Linux root.</summary>
    public static string WindowsPath(string linuxPath) => "Z:" + Path.GetFullPath(linuxPath).Replace('/', '\\');

    /// <summary>
    /// Runs a Windows program to its end (no stdin), with <paramref name="environment"/> on top of ours minus every
    /// ROBODJ_*. Its output goes to a file, not a pipe: every Wine process inherits the Unix descriptors of the one that
    /// started it, so a pipe would stay open as long as an app the program started runs.
    /// </summary>
    public static async Task<Result> RunAsync(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var log = Path.Combine(Path.GetTempPath(), $"robodj-wine-run-{Guid.NewGuid():N}.log");
        var info = Detached(Start(exe, args, environment, workingDirectory), log);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(exe)} {string.Join(' ', args)} did not finish in time under Wine:\n{File.ReadAllText(log)}");
            }
            return new Result(process.ExitCode, File.ReadAllText(log), clock.Elapsed);
        }
        finally { File.Delete(log); }
    }

    /// <summary>Starts a Windows program that outlives the call (the app, a file holder), its output to <paramref name="log"/>.</summary>
    public static Process StartDetached(string exe, IEnumerable<string> args, string log, string? workingDirectory = null) =>
        Process.Start(Detached(Start(exe, args, null, workingDirectory), log))!;

    /// <summary>The same start through sh, with no stdin and the output appended to <paramref name="log"/>.</summary>
    static ProcessStartInfo Detached(ProcessStartInfo info, string log)
    {
        var inner = info.ArgumentList.ToList();
        info.FileName = "/bin/sh";
        info.ArgumentList.Clear();
        foreach (var a in new[] { "-c", "log=\"$1\"; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", log, Loader() }.Concat(inner))
            info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>Ends every Windows process of the private prefix (each test's app and holders), then waits until the server is gone.</summary>
    public static void EndAllWindowsProcesses()
    {
        if (!prefix.IsValueCreated) return;
        foreach (var flag in new[] { "-k", "-w" })
        {
            using var p = Process.Start(ServerInfo(flag, prefix.Value))!;
            p.WaitForExit(30_000);
        }
    }

    static ProcessStartInfo Start(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(Loader()) { UseShellExecute = false, WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(exe)! };
        info.ArgumentList.Add(exe);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_", StringComparison.OrdinalIgnoreCase) || k is "CI" or "GITHUB_ACTIONS" or "DOTNET_STARTUP_HOOKS").ToList())
            info.Environment.Remove(name);
        SetWineEnvironment(info, prefix.Value);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "1000";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return info;
    }

    static void SetWineEnvironment(ProcessStartInfo info, string winePrefix)
    {
        info.Environment["WINEPREFIX"] = winePrefix;
        info.Environment["WINEDEBUG"] = "-all";
        // Wine 8 cannot release the double-mapped code of a collected dynamic method: with .NET's W^X on, the runtime
        // dies now and then in DynamicResolver's finalizer ("Internal CLR error 0x80131506"). Windows itself needs no such switch.
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
    }

    static ProcessStartInfo ServerInfo(string flag, string winePrefix)
    {
        var info = new ProcessStartInfo(Server, flag) { UseShellExecute = false };
        SetWineEnvironment(info, winePrefix);
        return info;
    }

    /// <summary>
    /// A fresh prefix for this test run, never the user's ~/.wine: Wine's "null" graphics driver, so that the app's
    /// window (which takes close requests) exists without a display; removed when the test process exits.
    /// </summary>
    static string MakePrefix()
    {
        var dir = Directory.CreateTempSubdirectory("robodj-wineprefix-").FullName;
        var path = dir;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { EndAllWindowsProcesses(); Directory.Delete(path, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        };
        Run(Loader(), ["wineboot", "--init"], TimeSpan.FromMinutes(3));
        Run(Loader(), ["reg", "add", @"HKCU\Software\Wine\Drivers", "/v", "Graphics", "/d", "null", "/f"], TimeSpan.FromMinutes(1));
        using var wait = Process.Start(ServerInfo("-w", dir))!;
        wait.WaitForExit(60_000);
        return dir;

        void Run(string file, string[] args, TimeSpan timeout)
        {
            var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            SetWineEnvironment(info, dir);
            using var p = Process.Start(info)!;
            var err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"wine {string.Join(' ', args)} took over {timeout}"); }
            if (p.ExitCode != 0) throw new InvalidOperationException($"wine {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}");
        }
    }

    static readonly string[] Inputs = ["src", "build", Path.Combine("tests", "RoboDJ.AtomicWriter.Probe"), "Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>Publishes the three programs unless this set of inputs was published before; old sets are removed.</summary>
    static async Task<Published> PublishAsync()
    {
        var repo = RepositoryRoot.Path;
        var cache = Path.Combine(repo, ".nuke", "temp", "wine");
        var hash = InputHash(repo);
        var dir = Path.Combine(cache, hash);
        var result = new Published(Path.Combine(dir, "build"), Path.Combine(dir, "app"), Path.Combine(dir, "probe"));
        if (File.Exists(Path.Combine(dir, "published"))) return result;
        if (Directory.Exists(cache))
            foreach (var old in Directory.GetDirectories(cache)) Directory.Delete(old, recursive: true);
        var artifacts = Path.Combine(dir, "artifacts");
        await PublishAsync(repo, Path.Combine("build", "_build.csproj"), result.Build, artifacts);
        await PublishAsync(repo, Path.Combine("src", "RoboDJ.Sandbox", "RoboDJ.Sandbox.csproj"), result.App, artifacts);
        await PublishAsync(repo, Path.Combine("tests", "RoboDJ.AtomicWriter.Probe", "RoboDJ.AtomicWriter.Probe.csproj"), result.Probe, artifacts);
        // The desktop app's name, as the runbook's Stop-Process -Name "RoboDJ Automation" knows it.
        File.Move(Path.Combine(result.App, "RoboDJ.Sandbox.exe"), Path.Combine(result.App, WineSite.AppExeName));
        Directory.Delete(artifacts, recursive: true);
        File.WriteAllText(Path.Combine(dir, "published"), hash);
        return result;
    }

    static async Task PublishAsync(string repo, string project, string output, string artifacts)
    {
        // Its own artifacts folder, so the solution's bin/ and obj/ (which the running tests use) are never touched.
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", project, "-c", "Release", "-r", "win-x64", "--self-contained", "-o", output, "--artifacts-path", artifacts, "--nologo" })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {project} -r win-x64 failed ({p.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    static string InputHash(string repo)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in Inputs)
        {
            var full = Path.Combine(repo, input);
            var files = File.Exists(full) ? [full]
                : Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(full, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(repo, file) + "\n"));
                sha.AppendData(File.ReadAllBytes(file));
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
