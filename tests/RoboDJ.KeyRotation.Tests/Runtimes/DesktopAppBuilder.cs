using System.Diagnostics;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>
/// A stand-in desktop app in a temp folder: a copy of /bin/sh under a unique name longer than 15 characters (so the
/// /proc comm truncation is exercised and no other test's or helper's app can match), started by launcher.sh, which
/// writes app.pid. The app starts a child (sleep) and records its pid in child.pid.
/// </summary>
sealed class DesktopAppBuilder : IDisposable
{
    readonly TempDir dir = new("robodj-desktop");
    string appScript = Graceful;

    /// <summary>Exits on SIGTERM after ending its child.</summary>
    const string Graceful = "trap 'kill $child 2>/dev/null; exit 0' TERM; sleep 600 & child=$!; echo $child > child.pid; wait";

    /// <summary>Ignores SIGTERM, and so does its child, which inherits the ignored disposition.</summary>
    const string Stubborn = "trap '' TERM; sleep 600 & echo $! > child.pid; while true; do wait; done";

    public string ProcessName { get; } = "RoboDJ Automation-" + Guid.NewGuid().ToString("N")[..8];
    public string Root => dir.Path;

    public DesktopAppBuilder IgnoringSigterm() { appScript = Stubborn; return this; }

    /// <summary>A launcher that exits without starting anything.</summary>
    public DesktopAppBuilder WithLauncherThatStartsNothing() { appScript = ""; return this; }

    /// <summary>A launcher that starts nothing and never exits, so only a timeout ends the wait.</summary>
    public DesktopAppBuilder WithLauncherThatHangs() { appScript = "hang"; return this; }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public DesktopAppBuilder Write()
    {
        File.Copy(new FileInfo("/bin/sh").ResolveLinkTarget(true)?.FullName ?? "/bin/sh", dir.Combine(ProcessName));
        File.SetUnixFileMode(dir.Combine(ProcessName), (UnixFileMode)0b111_101_101);
        var start = appScript.Length == 0 ? "echo launcher: nothing to start; exit 3"
            : appScript == "hang" ? "echo launcher: waiting for nothing; sleep 600"
            : $"echo $$ > app.pid\nexec \"./{ProcessName}\" -c \"{appScript.Replace("$", "\\$").Replace("\"", "\\\"")}\"";
        File.WriteAllText(dir.Combine("launcher.sh"),
            "#!/bin/sh\n" +
            "if [ -n \"${ROBODJ_SECRET_KEY+x}\" ]; then echo present; else echo absent; fi > env.txt\n" +
            start + "\n");
        File.SetUnixFileMode(dir.Combine("launcher.sh"), (UnixFileMode)0b111_101_101);
        return this;
    }

    public DesktopOptions Options(IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        DeploymentRoot = Root,
        ProcessName = ProcessName,
        PidFile = "app.pid",
        Launcher = "launcher.sh",
        LogFile = "launcher.log",
        GracePeriod = TimeSpan.FromSeconds(5),
        StartTimeout = TimeSpan.FromSeconds(10),
        Environment = environment,
    };

    public int? Pid(string file) => File.Exists(dir.Combine(file)) && int.TryParse(File.ReadAllText(dir.Combine(file)).Trim(), out var pid) ? pid : null;

    public string Read(string file) => File.ReadAllText(dir.Combine(file));

    /// <summary>Waits until the app has written its child's pid.</summary>
    public int ChildPid()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (Pid("child.pid") is { } pid) return pid;
            Thread.Sleep(20);
        }
        throw new TimeoutException("the test app never wrote child.pid");
    }

    public static bool IsAlive(int pid) => ProcessTable.Get(pid) is not null;

    /// <summary>Kills whatever this test started that is still running: only the pids it recorded.</summary>
    public void Dispose()
    {
        foreach (var file in new[] { "app.pid", "child.pid" })
            if (Pid(file) is { } pid && ProcessTable.Get(pid) is { } p && File.Exists($"/proc/{pid}/cmdline")
                && (p.Name.StartsWith("RoboDJ Automati", StringComparison.Ordinal) || p.Name == "sleep"))
                UnixSignal.Send(pid, UnixSignal.SigKill);
        dir.Dispose();
    }
}
