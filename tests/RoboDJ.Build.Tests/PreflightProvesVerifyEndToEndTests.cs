using System.Net;
using System.Net.Sockets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A problem that would fail Verify after the keys moved is a Preflight refusal instead: exit 3, no byte changed, the
/// app left running as it was.
/// </summary>
public sealed class PreflightProvesVerifyEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => ["Rotate", "--env", "sandbox", "--deployment-root", site.Root, .. more];

    static string Pid(SandboxSite site) => File.ReadAllText(Path.Combine(site.Root, "robodj.pid")).Trim();

    [Fact]
    public async Task A_wrong_dashboard_password_is_refused_at_Preflight_before_the_app_is_stopped()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.Hashes();
        var pid = Pid(site);

        var result = await build.RunAsync(Args(site), new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = "not-the-password" });

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("was refused (401)", result.Output);
        Assert.Contains("nothing was changed", result.Output);
        Assert.Equal(before, site.Hashes());
        Assert.Equal(pid, Pid(site));
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task A_dashboard_url_off_127_0_0_1_is_bad_input_before_any_target_without_sending_anything()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.Hashes();

        var result = await build.RunAsync(Args(site, "--dashboard-url", "http://localhost:9/"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: Invalid value 'http://localhost:9/' for --dashboard-url: it is not on 127.0.0.1", result.Output);
        Assert.Equal(before, site.Hashes());
        Assert.True(await site.IsRunningAsync());
    }

    [Fact]
    public async Task A_dry_run_reports_the_same_refusal()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.Hashes();

        var result = await build.RunAsync(Args(site, "--dry-run"), new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = "not-the-password" });

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("was refused (401)", result.Output);
        Assert.Equal(before, site.Hashes());
    }

    [Fact]
    public async Task A_dashboard_port_held_by_another_process_is_refused_at_once_with_the_holders_pid()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        await site.Runtime().StopAsync(CancellationToken.None);
        using var squatter = new TcpListener(IPAddress.Loopback, new Uri(site.Deployment.DashboardUrl).Port);
        squatter.Start();
        var before = site.Hashes();

        var result = await build.RunAsync(Args(site), timeout: TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"is held by pid {Environment.ProcessId}", result.Output);
        Assert.Equal(before, site.Hashes());
        Assert.False(await site.IsRunningAsync());
    }
}
