using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class DockerRuntimeAgainstRealEngineTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static void RequireEngine()
    {
        Peers.DockerHost();
        if (BusyboxImage.Ensure() is { } why) Peers.Missing(why);
    }

    [Fact]
    public async Task Stop_leaves_no_running_container_and_reports_what_it_stopped()
    {
        RequireEngine();
        using var project = new ComposeProjectBuilder().WithKeyWriter("web").WithPlain("cron").WithKey(FernetKey.Generate().Text).Write();
        using var runtime = new DockerComposeRuntime(project.Options());
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        Assert.Equal(2, DockerCli.RunningIds(project.ProjectName).Length);

        var dryRun = await runtime.DescribeStopAsync(Ct);
        Assert.Contains($"would stop 2 container(s) of project {project.ProjectName}: cron (", dryRun);
        Assert.Contains(BusyboxImage.Name, dryRun);
        Assert.Equal(2, DockerCli.RunningIds(project.ProjectName).Length);

        var report = await runtime.StopAsync(Ct);

        Assert.Empty(DockerCli.RunningIds(project.ProjectName));
        Assert.False((await runtime.StatusAsync(Ct)).AnyRunning);
        Assert.Equal(["cron", "web"], report.Units.Select(u => u.Name).Order());
        Assert.All(report.Units, u => { Assert.Equal(12, u.Id.Length); Assert.Equal(BusyboxImage.Name, u.Detail); });
    }

    [Fact]
    public async Task Start_after_an_env_change_runs_every_service_on_the_new_key_even_when_the_parent_environment_holds_another()
    {
        RequireEngine();
        var oldKey = FernetKey.Generate();
        var newKey = FernetKey.Generate();
        var shellKey = FernetKey.Generate();
        using var project = new ComposeProjectBuilder().WithKeyWriter("web").WithInterpolatedKey("worker").WithKey(oldKey.Text).Write();
        var parent = new Dictionary<string, string>(ChildEnvironment.Current()) { ["ROBODJ_SECRET_KEY"] = shellKey.Text };
        using var runtime = new DockerComposeRuntime(project.Options(parent));
        var log = CapturingSink.Shared;

        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);
        Assert.All(await runtime.KeyFingerprintsAsync("ROBODJ_SECRET_KEY", Ct), k => Assert.Equal(oldKey.Fingerprint, k.Key));
        await runtime.StopAsync(Ct);

        project.WithKey(newKey.Text);
        var notBefore = DateTimeOffset.UtcNow;
        var report = await runtime.StartAsync(notBefore, Ct);

        var keys = await runtime.KeyFingerprintsAsync("ROBODJ_SECRET_KEY", Ct);
        Assert.Equal(["web", "worker"], keys.Select(k => k.Service).Order());
        Assert.All(keys, k => Assert.Equal(newKey.Fingerprint, k.Key));
        Assert.Equal(newKey.Fingerprint.Hex, File.ReadAllText(project.KeyShaFile)[..12]);
        Assert.Contains("started 2 container(s)", report.Summary);
        Assert.Contains("Compose CLI: ", log.Text);
        Canary.AssertAbsent(log.Text + report.Summary, [oldKey.Text, newKey.Text, shellKey.Text], "the runtime's log and report");
    }

    [Fact]
    public async Task An_unhealthy_service_makes_Start_fail_with_its_redacted_log()
    {
        RequireEngine();
        var key = FernetKey.Generate();
        using var project = new ComposeProjectBuilder().WithPlain("web").WithUnhealthy("broken").WithKey(key.Text).Write();
        using var runtime = new DockerComposeRuntime(project.Options());

        var error = await Assert.ThrowsAsync<ContainerUnhealthyException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Equal("broken", error.Service);
        Assert.Contains("BROKEN-MARKER", error.Message);
        Assert.Contains("config error: cannot decrypt with ***", error.Message);
        Canary.AssertAbsent(error.Message, [key.Text], "the unhealthy container's error");
    }

    [Fact]
    public async Task Start_times_out_naming_the_service_it_still_waits_for_with_its_log()
    {
        RequireEngine();
        using var project = new ComposeProjectBuilder().WithPlain("web").WithSlowHealth("slow").Write();
        using var runtime = new DockerComposeRuntime(project.Options() with { HealthTimeout = TimeSpan.FromSeconds(3) });
        var log = CapturingSink.Shared;

        var error = await Assert.ThrowsAsync<RuntimeStartTimeoutException>(() => runtime.StartAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("slow (starting)", error.WaitingFor);
        Assert.DoesNotContain("web", error.WaitingFor);
        Assert.Contains("SLOW-MARKER", error.Message);
        Assert.Contains("Waiting for 1/2 containers: slow (starting)", log.Text);
    }

    [Fact]
    public async Task Start_does_not_accept_containers_that_were_running_before_the_rotation_began()
    {
        RequireEngine();
        using var project = new ComposeProjectBuilder().WithPlain("web").Write();
        using var runtime = new DockerComposeRuntime(project.Options() with { HealthTimeout = TimeSpan.FromSeconds(2) });
        await runtime.StartAsync(DateTimeOffset.UtcNow, Ct);

        // Nothing changed, so up -d keeps the old container: it did not start after this later rotation start.
        var error = await Assert.ThrowsAsync<RuntimeStartTimeoutException>(() => runtime.StartAsync(DateTimeOffset.UtcNow.AddSeconds(1), Ct));

        Assert.Contains("not recreated", error.WaitingFor);
    }

    [Fact]
    public async Task CheckReachable_passes_and_reports_the_compose_cli_in_use()
    {
        RequireEngine();
        using var project = new ComposeProjectBuilder().WithPlain("web").Write();
        using var runtime = new DockerComposeRuntime(project.Options());

        await runtime.CheckReachableAsync(Ct);

        var flavor = await runtime.ComposeFlavorAsync(Ct);
        Assert.Matches(@"^\d+\.\d+", flavor.Version);
        Assert.Contains(flavor.IsPlugin ? "docker compose" : "docker-compose", runtime.DescribeStart());
    }
}
