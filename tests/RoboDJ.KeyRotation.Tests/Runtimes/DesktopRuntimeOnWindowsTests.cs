using System.Diagnostics;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>
/// The desktop runtime natively on Windows (ci.yml's windows job; the whole pipeline under Wine is in RoboDJ.Build.Tests):
/// a .bat through `cmd /c`, a close request then a forced stop for a program without a window, and only this
/// deployment's process. The "app" is the atomic-writer probe holding a file of the deployment, run by dotnet: its name,
/// "dotnet", is shared by every .NET process on the machine, so only its command line ties it to the deployment.
/// </summary>
public sealed class DesktopRuntimeOnWindowsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static void RequireWindows()
    {
        if (!OperatingSystem.IsWindows()) Assert.Skip("the Windows branches of the desktop runtime (on Linux: DesktopRuntimeAgainstRealProcessesTests)");
    }

    static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    static string Probe => Path.Combine(AppContext.BaseDirectory, "RoboDJ.AtomicWriter.Probe.dll");

    static DesktopOptions Deployment(TempDir dir)
    {
        File.WriteAllText(dir.Combine("held.txt"), "the app's own file\n");
        File.WriteAllText(dir.Combine("RoboDJ_Launcher.bat"),
            $"@echo off\r\n\"{Dotnet}\" \"{Probe}\" hold \"{dir.Combine("held.txt")}\" 600000\r\n");
        return new DesktopOptions
        {
            DeploymentRoot = dir.Path, ProcessName = "dotnet", Launcher = "RoboDJ_Launcher.bat",
            GracePeriod = TimeSpan.FromSeconds(1), StartTimeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The same program with the same name, holding a file of another folder.</summary>
    static Process Stranger(TempDir elsewhere)
    {
        File.WriteAllText(elsewhere.Combine("held.txt"), "a stranger's file\n");
        var info = new ProcessStartInfo(Dotnet) { WorkingDirectory = elsewhere.Path, RedirectStandardOutput = true };
        foreach (var a in new[] { Probe, "hold", elsewhere.Combine("held.txt"), "600000" }) info.ArgumentList.Add(a);
        var stranger = Process.Start(info)!;
        Assert.Equal("holding", stranger.StandardOutput.ReadLine());
        return stranger;
    }

    [Fact]
    public async Task Start_runs_the_bat_and_Stop_asks_then_forces_the_app_and_leaves_a_process_of_its_name_from_elsewhere()
    {
        RequireWindows();
        using var dir = new TempDir("robodj-windows-desktop");
        using var elsewhere = new TempDir("robodj-windows-stranger");
        using var stranger = Stranger(elsewhere);
        try
        {
            var runtime = new DesktopRuntime(Deployment(dir));
            Assert.False((await runtime.StatusAsync(Ct)).AnyRunning);

            var started = await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
            var app = int.Parse(Assert.Single(started.Units).Id);
            Assert.Contains("ask it to close (taskkill /PID without /F", await runtime.DescribeStopAsync(Ct));
            var stopped = await runtime.StopAsync(Ct);

            // A program without a window cannot be asked: the grace period runs out, then the kill.
            Assert.Equal("killed", Assert.Single(stopped.Units).Detail);
            Assert.Null(ProcessTable.Get(app));
            Assert.All(runtime.Launched, p => Assert.False(p.IsAlive));
            Assert.False(stranger.HasExited);
            Assert.False((await runtime.StatusAsync(Ct)).AnyRunning);
        }
        finally { stranger.Kill(); }
    }

    [Fact]
    public async Task A_pid_file_naming_a_process_of_another_folder_is_refused_with_its_pid()
    {
        RequireWindows();
        using var dir = new TempDir("robodj-windows-desktop");
        using var elsewhere = new TempDir("robodj-windows-stranger");
        using var stranger = Stranger(elsewhere);
        try
        {
            var options = Deployment(dir) with { PidFile = "robodj.pid" };
            File.WriteAllText(dir.Combine("robodj.pid"), stranger.Id.ToString());

            var refused = await Assert.ThrowsAsync<PidFileNamesAnotherProcessException>(() => new DesktopRuntime(options).StopAsync(Ct));

            Assert.Equal(stranger.Id, refused.Pid);
            Assert.Contains($"names pid {stranger.Id}", refused.Message);
            Assert.False(stranger.HasExited);
        }
        finally { stranger.Kill(); }
    }
}
