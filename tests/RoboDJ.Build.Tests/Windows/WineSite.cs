using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Windows;

/// <summary>
/// A Windows desktop deployment under Wine, laid out as the runbook's: `app\RoboDJ Automation.exe` (the sandbox app,
/// published for win-x64), `RoboDJ_Launcher.bat`, `.env` and `config\`, made by the app's own `--create` under Wine.
/// The build is the published `_build.exe`, with its own .nuke\ (copies of the repository's parameters files) in a temp
/// folder. Disposing ends every Windows process of the test run's prefix and removes the folders.
/// </summary>
public sealed class WineSite : IAsyncDisposable
{
    public const string AppExeName = "RoboDJ Automation.exe";
    public const string ProcessName = "RoboDJ Automation";
    public const string Launcher = "RoboDJ_Launcher.bat";
    public const string PidFileName = "robodj.pid";

    readonly TempDir temp;
    readonly WinePeer.Published programs;

    WineSite(TempDir temp, WinePeer.Published programs)
    {
        this.temp = temp;
        this.programs = programs;
        Root = Directory.CreateDirectory(temp.Combine("deployment")).FullName;
        BuildRoot = Directory.CreateDirectory(temp.Combine("build-root", ".nuke")).Parent!.FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, ".nuke"), "parameters*.json"))
            File.Copy(file, Path.Combine(BuildRoot, ".nuke", Path.GetFileName(file)));
    }

    public string Root { get; }
    public string BuildRoot { get; }
    public string AppExe => Path.Combine(Root, "app", AppExeName);
    public string StartupLog => Path.Combine(Root, "config", "logs", "startup_safety_events.jsonl");
    public List<string> Canaries { get; } = [];

    public static async Task<WineSite> CreateAsync(bool start = true)
    {
        var programs = await WinePeer.ProgramsAsync();
        var site = new WineSite(new TempDir("robodj-wine-site"), programs);
        site.CopyApp();
        var created = await WinePeer.RunAsync(site.AppExe, ["--create", "--root", WinePeer.WindowsPath(site.Root), "--port", LoopbackPorts.Free().ToString()]);
        if (created.ExitCode != 0) throw new InvalidOperationException($"the app's --create failed under Wine: {created}");
        var keys = await site.KeysAsync();
        var password = DotEnvFile.Load(Path.Combine(site.Root, ".env"))["ROBODJ_DASHBOARD_PASSWORD"]!;
        SecretRedactor.Register(password);
        site.Canaries.AddRange([keys.Primary!.Text, keys.Secondary!.Text, password]);
        if (start) await site.StartAppAsync();
        return site;
    }

    /// <summary>The build's arguments for this deployment, as an operator types them on Windows.</summary>
    public string[] BuildArgs(string target) =>
    [
        target, "--env", "sandbox", "--deployment-root", WinePeer.WindowsPath(Root), "--runtime", "desktop",
        "--launcher", Launcher, "--pid-file", PidFileName, "--process-name", ProcessName,
        "--launcher-log", @"config\logs\launcher.log", "--root", WinePeer.WindowsPath(BuildRoot),
    ];

    /// <summary>Runs `_build.exe` under Wine; <paramref name="environment"/> may name the test hooks (ROBODJ_TEST_*).</summary>
    public Task<WinePeer.Result> BuildAsync(string target, IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        // The shipped build has no test hooks; a test that asks for them gets them loaded as a startup hook.
        if (env.TryGetValue("ROBODJ_TEST_HOOKS", out var hooks) && hooks == "1")
            env["DOTNET_STARTUP_HOOKS"] = WinePeer.WindowsPath(Path.Combine(AppContext.BaseDirectory, "RoboDJ.TestHooks.dll"));
        return WinePeer.RunAsync(programs.BuildExe, [.. BuildArgs(target), .. extra], env, TimeSpan.FromMinutes(4), BuildRoot);
    }

    /// <summary>Starts the app as an operator would from Explorer (not through the build), and waits for its PASS.</summary>
    public async Task StartAppAsync()
    {
        var offset = new StartupLog(StartupLog).CurrentOffset();
        WinePeer.StartDetached(AppExe, ["--root", WinePeer.WindowsPath(Root)], Path.Combine(temp.Path, "app.log"), Root).Dispose();
        await new StartupLog(StartupLog).WaitForPassAsync(offset, TimeSpan.FromSeconds(90), null, CancellationToken.None);
    }

    public async Task<KeySlots> KeysAsync() => await new DotEnvSecretStore(Path.Combine(Root, ".env")).ReadAsync(CancellationToken.None);

    public PythonCensus PythonCensus() => PythonReferencePeer.Census(Root, PythonCensusScope.Rotation);

    /// <summary>The app's latest PASS line.</summary>
    public JsonElement LastPass() =>
        File.ReadAllLines(StartupLog).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("message").GetString() == RoboDJ.KeyRotation.Verification.StartupLog.PassText);

    /// <summary>The Windows pid in the app's pid file, 0 when there is none.</summary>
    public int AppPid() => File.Exists(Path.Combine(Root, PidFileName)) && int.TryParse(File.ReadAllText(Path.Combine(Root, PidFileName)).Trim(), out var pid) ? pid : 0;

    /// <summary>Whether a Windows process of the app runs (Linux sees each as a process whose command line is the exe's Windows path).</summary>
    public bool AppRuns() => AppProcessesByWindowsPath().Count > 0;

    List<int> AppProcessesByWindowsPath()
    {
        // Started from Linux, the command line shows the exe's Linux path; started by Windows (the .bat), its Windows path.
        var names = new[] { WinePeer.WindowsPath(AppExe), AppExe };
        return Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && names.Any(name => CommandLine(pid).StartsWith(name, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>SHA-256 of every file under the root but the app itself, by relative path.</summary>
    public Dictionary<string, string> Tree() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f))
            .Where(rel => !rel.StartsWith("app" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToDictionary(rel => rel, rel => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, rel)))));

    /// <summary>Hard links to the published app (the rotation never writes them), or copies where links cannot be made.</summary>
    void CopyApp()
    {
        var target = Directory.CreateDirectory(Path.Combine(Root, "app")).FullName;
        using var link = Process.Start(new ProcessStartInfo("cp", ["-al", programs.App + "/.", target]) { RedirectStandardError = true })!;
        link.WaitForExit();
        if (link.ExitCode == 0) return;
        foreach (var file in Directory.EnumerateFiles(programs.App, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(programs.App, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        WinePeer.EndAllWindowsProcesses();
        temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
