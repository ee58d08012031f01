using System.Diagnostics;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DesktopRuntimeAgainstRealProcessesTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static void RequireUnix()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("these tests drive a POSIX launcher script; the Windows paths are close-main-window and cmd /c");
    }

    [Fact]
    public async Task Start_runs_the_launcher_detached_without_ROBODJ_variables_and_confirms_the_app()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        var canary = FernetKey.Generate();
        var parent = new Dictionary<string, string>(ChildEnvironment.Current()) { ["ROBODJ_SECRET_KEY"] = canary.Text };
        var runtime = new DesktopRuntime(app.Options(parent));

        var report = await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);

        var pid = Assert.Single(report.Units).Id;
        Assert.Equal(app.Pid("app.pid")?.ToString(), pid);
        Assert.Equal("absent\n", app.Read("env.txt"));
        Assert.NotEqual(SessionOf(Environment.ProcessId), SessionOf(int.Parse(pid)));
        Assert.True((await runtime.StatusAsync(Ct)).AnyRunning);
        await runtime.StopAsync(Ct);
    }

    [Fact]
    public async Task Stop_asks_the_app_to_exit_and_it_does_within_the_grace_period()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        var runtime = new DesktopRuntime(app.Options());
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        var appPid = app.Pid("app.pid")!.Value;
        var child = app.ChildPid();

        Assert.Contains($"pid {appPid}", await runtime.DescribeStopAsync(Ct));
        var clock = Stopwatch.StartNew();
        var report = await runtime.StopAsync(Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"graceful stop took {clock.Elapsed}");
        Assert.Equal("exited gracefully", Assert.Single(report.Units).Detail);
        Assert.False(DesktopAppBuilder.IsAlive(appPid));
        Assert.False(DesktopAppBuilder.IsAlive(child));
        Assert.False((await runtime.StatusAsync(Ct)).AnyRunning);
    }

    [Fact]
    public async Task Stop_kills_an_app_that_ignores_SIGTERM_together_with_its_children()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().IgnoringSigterm().Write();
        var runtime = new DesktopRuntime(app.Options() with { GracePeriod = TimeSpan.FromMilliseconds(500) });
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        var appPid = app.Pid("app.pid")!.Value;
        var child = app.ChildPid();

        var report = await runtime.StopAsync(Ct);

        Assert.Equal("killed", Assert.Single(report.Units).Detail);
        Assert.False(DesktopAppBuilder.IsAlive(appPid));
        Assert.False(DesktopAppBuilder.IsAlive(child));
        Assert.Contains("2 process(es) in its tree, none left", report.Summary);
    }

    [Fact]
    public async Task Stop_never_touches_a_process_whose_pid_merely_sits_in_a_stale_pid_file()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        using var bystander = Process.Start("sleep", "600");
        var pidFile = Path.Combine(app.Root, "app.pid");
        File.WriteAllText(pidFile, bystander.Id.ToString());
        File.SetLastWriteTimeUtc(pidFile, DateTime.UtcNow.AddHours(-1));
        try
        {
            var report = await new DesktopRuntime(app.Options()).StopAsync(Ct);

            Assert.Empty(report.Units);
            Assert.False(bystander.HasExited);
            Assert.False(File.Exists(pidFile));
        }
        finally { bystander.Kill(); }
    }

    [Fact]
    public async Task Stop_leaves_alone_a_process_that_carries_the_apps_name_but_runs_from_another_folder()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        using var elsewhere = new TempDir("robodj-stranger");
        var info = new ProcessStartInfo("/bin/bash") { WorkingDirectory = elsewhere.Path };
        foreach (var a in new[] { "-c", "exec -a \"$0\" sleep 600", app.ProcessName }) info.ArgumentList.Add(a);
        using var stranger = Process.Start(info)!;
        try
        {
            while (!File.ReadAllText($"/proc/{stranger.Id}/cmdline").StartsWith(app.ProcessName, StringComparison.Ordinal)) Thread.Sleep(20);
            var runtime = new DesktopRuntime(app.Options());

            Assert.False((await runtime.StatusAsync(Ct)).AnyRunning);
            Assert.Contains("(none running)", await runtime.DescribeStopAsync(Ct));
            Assert.Empty((await runtime.StopAsync(Ct)).Units);
            Assert.False(stranger.HasExited);
            await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
            var appPid = app.Pid("app.pid");
            var stopped = await runtime.StopAsync(Ct);

            Assert.Equal(appPid?.ToString(), Assert.Single(stopped.Units).Id);
            Assert.False(stranger.HasExited);
        }
        finally { stranger.Kill(); }
    }

    [Fact]
    public async Task A_pid_file_naming_a_live_process_of_another_folder_is_refused_with_its_pid_and_the_process_lives_on()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        using var elsewhere = new TempDir("robodj-unrelated");
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "600") { WorkingDirectory = elsewhere.Path })!;
        try
        {
            File.WriteAllText(Path.Combine(app.Root, "app.pid"), unrelated.Id.ToString());
            var runtime = new DesktopRuntime(app.Options());

            var check = await Assert.ThrowsAsync<PidFileNamesAnotherProcessException>(() => runtime.CheckReachableAsync(Ct));
            var stop = await Assert.ThrowsAsync<PidFileNamesAnotherProcessException>(() => runtime.StopAsync(Ct));

            Assert.Equal(unrelated.Id, check.Pid);
            Assert.Contains($"names pid {unrelated.Id} (sleep), which is not this deployment's app", stop.Message);
            Assert.Contains($"its working folder {elsewhere.Path}", stop.Message);
            Assert.Contains("Fix:", stop.Message);
            Assert.False(unrelated.HasExited);
            Assert.True(File.Exists(Path.Combine(app.Root, "app.pid")));
        }
        finally { unrelated.Kill(); }
    }

    [Fact]
    public async Task A_missing_launcher_is_an_error_naming_it()
    {
        RequireUnix();
        using var dir = new TempDir("robodj-desktop");
        var runtime = new DesktopRuntime(new DesktopOptions { DeploymentRoot = dir.Path, Launcher = "RoboDJ_Launcher.bat" });

        var check = await Assert.ThrowsAsync<LauncherMissingException>(() => runtime.CheckReachableAsync(Ct));
        await Assert.ThrowsAsync<LauncherMissingException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Equal(dir.Combine("RoboDJ_Launcher.bat"), check.Path);
        Assert.Contains(dir.Combine("RoboDJ_Launcher.bat"), check.Message);
    }

    [Fact]
    public async Task Start_times_out_with_the_launcher_log_when_the_app_never_appears_and_Stop_ends_the_launcher()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().WithLauncherThatHangs().Write();
        var runtime = new DesktopRuntime(app.Options() with { StartTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<RuntimeStartTimeoutException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains($"a process named '{app.ProcessName}'", error.WaitingFor);
        Assert.Contains("launcher: waiting for nothing", error.Message);
        var launcher = Assert.Single(runtime.Launched);
        Assert.True(launcher.IsAlive);
        await runtime.StopAsync(Ct);
        Assert.False(launcher.IsAlive);
    }

    [Fact]
    public async Task Start_fails_at_once_with_the_launcher_log_when_the_launched_process_exits_before_the_app_is_up()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().WithLauncherThatStartsNothing().Write();
        var runtime = new DesktopRuntime(app.Options() with { StartTimeout = TimeSpan.FromSeconds(30) });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AppDiedDuringStartException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("launcher: nothing to start", error.Message);
        Assert.Matches(@"exited \d+\.\d s after its launch \(pid \d+\)", error.Message);
    }

    [Fact]
    public async Task Stop_stops_the_launched_app_before_it_wrote_its_pid_file()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        var runtime = new DesktopRuntime(app.Options());
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        var appPid = app.Pid("app.pid")!.Value;
        File.Delete(Path.Combine(app.Root, "app.pid")); // as if the app had not written it yet
        // A name that does not match, as with the sandbox app: only the pid file or the launch can name the process.
        var options = app.Options() with { ProcessName = "no-such-app-" + Guid.NewGuid().ToString("N")[..6] };

        Assert.Empty((await new DesktopRuntime(options).StopAsync(Ct)).Units);
        Assert.True(DesktopAppBuilder.IsAlive(appPid));
        var tracking = new DesktopRuntime(options);
        tracking.Track(Assert.Single(runtime.Launched));
        var stopped = await tracking.StopAsync(Ct);

        Assert.Equal(appPid.ToString(), Assert.Single(stopped.Units).Id);
        Assert.False(DesktopAppBuilder.IsAlive(appPid));
        Assert.False(DesktopAppBuilder.IsAlive(app.ChildPid()));
    }

    [Fact]
    public async Task Start_refuses_when_the_app_already_runs()
    {
        RequireUnix();
        using var app = new DesktopAppBuilder().Write();
        var runtime = new DesktopRuntime(app.Options());
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        try
        {
            await Assert.ThrowsAsync<RuntimeAlreadyRunningException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));
        }
        finally { await runtime.StopAsync(Ct); }
    }

    static string SessionOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3];
    }
}
