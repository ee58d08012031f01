using System.Text;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.KeyRotation.Tests.Effects;

/// <summary>
/// The backstop of the dry run: a change that goes around the door (as a future bug would) is stopped by the primitive
/// itself before it touches anything. Each case ends with a check of what it would have changed: bytes, files, the
/// process table, requests received.
/// </summary>
public sealed class GuardedPrimitivesTests : IDisposable
{
    readonly TempDir temp = new("robodj-guard");
    readonly WireMockServer peer = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    readonly FernetKey v1 = FernetKey.Generate(), v2 = FernetKey.Generate();

    public GuardedPrimitivesTests()
    {
        peer.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        Directory.CreateDirectory(temp.Combine("config"));
        File.WriteAllText(temp.Combine(".env"), $"ROBODJ_ENV=sandbox\nROBODJ_SECRET_KEY={v1.Text}\nROBODJ_SECRET_V2_KEY={v2.Text}\n");
        File.WriteAllText(temp.Combine("config", "settings.json"), $"{{\"token\": \"{new KeyRing(v2).Encrypt("hello"u8)}\"}}\n");
    }

    Uri PeerUrl => new($"http://127.0.0.1:{peer.Port}/");
    DeploymentPaths Paths => new(temp.Path);

    /// <summary>Every file below the deployment with its bytes: the census a breach would change.</summary>
    Dictionary<string, string> Tree() => Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories)
        .ToDictionary(p => Path.GetRelativePath(temp.Path, p), p => Convert.ToHexString(File.ReadAllBytes(p)));

    async Task AssertStoppedAsync(ChangeKind kind, Func<Task> change)
    {
        var before = Tree();
        using (new DryRunEffects().Guard())
        {
            var breach = await Assert.ThrowsAsync<DryRunBreachException>(change);
            Assert.Equal(kind, breach.Kind);
            Assert.Contains("Nothing was changed", breach.Message);
        }
        Assert.Equal(before, Tree());
        Assert.Empty(peer.LogEntries);
    }

    [Fact]
    public Task The_store_write_is_stopped() => AssertStoppedAsync(ChangeKind.Files,
        () => new DotEnvSecretStore(Paths.DotEnv).WriteAsync(new KeySlots(FernetKey.Generate(), v1), CancellationToken.None));

    [Fact]
    public Task The_journal_is_not_opened() => AssertStoppedAsync(ChangeKind.Files, () =>
    {
        RotationJournal.Create(Paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "sandbox", "tester");
        return Task.CompletedTask;
    });

    [Fact]
    public async Task A_journal_line_is_not_appended()
    {
        var journal = RotationJournal.Create(Paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "sandbox", "tester");
        await AssertStoppedAsync(ChangeKind.Files, () => { journal.Started(RotationStep.Stop); return Task.CompletedTask; });
    }

    [Fact]
    public Task The_lock_is_not_taken() => AssertStoppedAsync(ChangeKind.Files, () =>
    {
        RotationLock.Acquire(Paths.RotationLock, "sandbox", "tester", TimeSpan.FromMinutes(30), breakLock: false).Dispose();
        return Task.CompletedTask;
    });

    [Fact]
    public Task The_snapshot_is_not_taken() => AssertStoppedAsync(ChangeKind.Files,
        () => new SnapshotStore(new DeploymentScope(Paths)).CreateAsync(Path.Combine(Paths.KeyRotation, "x", "snapshot"), CancellationToken.None));

    [Fact]
    public Task The_rewrap_writes_nothing() => AssertStoppedAsync(ChangeKind.Files, () =>
    {
        Rewrap.Run(new DeploymentScope(Paths), new KeyRing(FernetKey.Generate(), v1, v2));
        return Task.CompletedTask;
    });

    [Fact]
    public async Task The_app_is_not_started()
    {
        var marker = temp.Combine("launched");
        File.WriteAllText(temp.Combine("launch.sh"), $"#!/bin/sh\ntouch '{marker}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp.Combine("launch.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new DesktopRuntime(new DesktopOptions { DeploymentRoot = temp.Path, Launcher = "launch.sh", ProcessName = "robodj-guard-test" });

        await AssertStoppedAsync(ChangeKind.Process, () => runtime.StartAsync(DateTimeOffset.UtcNow, CancellationToken.None));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(File.Exists(marker), "the launcher ran");
    }

    [Fact]
    public Task The_app_is_not_stopped() => AssertStoppedAsync(ChangeKind.Process,
        () => new DesktopRuntime(new DesktopOptions { DeploymentRoot = temp.Path, ProcessName = "robodj-guard-test" }).StopAsync(CancellationToken.None));

    [Fact]
    public async Task The_dashboard_config_save_is_not_sent()
    {
        using var client = new DashboardClient(PeerUrl, TimeSpan.FromSeconds(5));
        await AssertStoppedAsync(ChangeKind.Http, () => client.SaveConfigAsync(new DashboardSession("session"), CancellationToken.None));
    }

    [Fact]
    public async Task The_github_secrets_are_not_written()
    {
        var options = new GitHubOptions { Owner = "acme", Repository = "robodj", BaseUrl = PeerUrl, RequestTimeout = TimeSpan.FromSeconds(5) };
        var store = new GitHubSecretStore(GitHubClientFactory.Create(options, "ghs_" + new string('x', 36)), options, GitHubSecretScope.Repository,
            new Dictionary<string, string?> { [KeySlots.PrimaryName] = v1.Text, [KeySlots.SecondaryName] = v2.Text });
        await AssertStoppedAsync(ChangeKind.GitHub, () => store.WriteAsync(new KeySlots(FernetKey.Generate(), v1), CancellationToken.None));
    }

    [Fact]
    public async Task No_announcement_reaches_github_or_the_webhook_and_the_breach_is_not_taken_for_a_failed_delivery()
    {
        var options = new GitHubOptions { Owner = "acme", Repository = "robodj", BaseUrl = PeerUrl, RequestTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient();
        var channels = new AnnouncementChannels([
            new GitHubIssueAnnouncer(GitHubClientFactory.Create(options, "ghs_" + new string('x', 36)), options),
            new WebhookAnnouncer(http, new Uri(PeerUrl, "hook")),
        ]);
        var notice = new RotationNotice("sandbox", RotationWindow.Starting(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "tester", v1.Fingerprint, v2.Fingerprint, []);

        await AssertStoppedAsync(ChangeKind.GitHub, () => channels.AnnounceAsync(notice, CancellationToken.None));
    }

    [Fact]
    public Task Leftover_temp_files_are_not_removed()
    {
        File.WriteAllText(temp.Combine($"..env.{Guid.NewGuid():N}.tmp"), "ROBODJ_SECRET_KEY=half-written\n");
        return AssertStoppedAsync(ChangeKind.Files, () =>
        {
            LeftoverTempFiles.Remove(LeftoverTempFiles.Find(new DeploymentScope(Paths)));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task A_restore_and_the_snapshots_late_additions_write_nothing()
    {
        var snapshot = Path.Combine(Paths.KeyRotation, "20261202T040000Z-ab12", "snapshot");
        await new SnapshotStore(new DeploymentScope(Paths)).CreateAsync(snapshot, CancellationToken.None);
        File.WriteAllText(temp.Combine("config", "settings.json"), "{}\n");
        File.WriteAllText(temp.Combine("config", "new.json"), "{}\n");
        await AssertStoppedAsync(ChangeKind.Files, () => { new SnapshotStore(new DeploymentScope(Paths)).Restore(snapshot); return Task.CompletedTask; });
        await AssertStoppedAsync(ChangeKind.Files, () => { new SnapshotStore(new DeploymentScope(Paths)).AddFilesNewSinceSnapshot(snapshot); return Task.CompletedTask; });
    }

    [Fact]
    public async Task No_snapshot_is_shredded()
    {
        var snapshot = Path.Combine(Paths.KeyRotation, "20261202T040000Z-ab12", "snapshot");
        await new SnapshotStore(new DeploymentScope(Paths)).CreateAsync(snapshot, CancellationToken.None);
        await AssertStoppedAsync(ChangeKind.Files, () => { new SnapshotRetention(new DeploymentScope(Paths), keep: 0).Apply(new KeySlots(v1, v2)); return Task.CompletedTask; });
        await AssertStoppedAsync(ChangeKind.Files, () => { Shredder.Remove(snapshot); return Task.CompletedTask; });
    }

    [Fact]
    public async Task The_postmortem_is_not_written()
    {
        var journal = RotationJournal.Create(Paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "sandbox", "tester");
        await AssertStoppedAsync(ChangeKind.Files, () =>
        {
            Postmortem.Write(Paths, journal, new PostmortemFacts("Verify", "injected", "rolled back", [], null, null), DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        });
    }

    public void Dispose()
    {
        peer.Stop();
        temp.Dispose();
    }
}
