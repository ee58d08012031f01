using System.Globalization;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Swarm;
using RoboDJ.Testing;
using Xunit;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>
/// The phased targets through the built build (parameters, the PreflightPhased and AnnouncePhased gates, the dry-run
/// door, exit codes, the summary) on the real single-node swarm with 3 replicas of the Python reference app. Peers:
/// dockerd in swarm mode, the busybox test image, Debian's python3 with cryptography and dotenv.
/// </summary>
public sealed class SwarmPhasedTargetsEndToEndTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    static string[] Args(SwarmSite site, string target, params string[] more) =>
    [
        target, "--env", site.Env, "--deployment-root", site.Root, "--swarm-service", site.Service,
        "--swarm-dashboard-port-base", site.PortBase.ToString(CultureInfo.InvariantCulture), .. more,
    ];

    static async Task<BuildProcess.Result> RunAsync(SwarmSite site, string[] args)
    {
        using var build = new BuildProcess();
        var result = await build.RunAsync(args, new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.Password }, TimeSpan.FromMinutes(6));
        Assert.DoesNotContain("   at ", result.Output);
        Canary.AssertAbsent(result.Output, [site.V1.Text, site.V2.Text, site.Password, .. CurrentKeys(site)], "the build's output");
        TestContext.Current.TestOutputHelper?.WriteLine($"{string.Join(' ', args)}: exit {result.ExitCode}\n{result.Output}");
        return result;
    }

    static IEnumerable<string> CurrentKeys(SwarmSite site)
    {
        var keys = new DotEnvSecretStore(Path.Combine(site.Root, ".env")).ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new[] { keys.Primary, keys.Secondary }.OfType<FernetKey>().Select(k => k.Text);
    }

    [Fact]
    public async Task RotatePhased_passes_both_gates_rotates_every_replica_under_load_and_exits_0_with_its_summary()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 1);

        await using var load = site.Load();
        await load.StartAsync();
        var result = await RunAsync(site, Args(site, "RotatePhased"));
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("RotatePhased through the build under load: " + load.Summary);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\nPreflightPhased\s+Succeeded\s+.*3 replicas PASS with V1 sha256:" + site.V1.Fingerprint.Hex, result.Output);
        Assert.Matches(@"\nAnnouncePhased\s+Succeeded\s+.*phased key rotation of sandbox", result.Output);
        Assert.Matches(@"\nRotatePhased\s+Succeeded\s+.*phased rotation \S+ completed on " + site.Service, result.Output);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);

        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal(site.V1.Fingerprint.Hex, census.V2);
        Assert.Equal((4, 4), (census.Fields, census.UnderV1Alone));
        Assert.All(site.LastKeyChecks(), check => Assert.Equal(census.V1, check.GetProperty("v1").GetString()));
    }

    [Fact]
    public async Task Production_unconfirmed_is_not_rotated_and_skipping_a_gate_is_refused_with_nothing_changed()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1, env: "production");
        var tree = site.Hashes();
        var swarm = site.SwarmState();

        foreach (var gate in new[] { "AnnouncePhased", "PreflightPhased" })
        {
            var skipped = await RunAsync(site, Args(site, "RotatePhased", "--skip", gate));
            Assert.True(skipped.ExitCode == 2, skipped.ToString());
            Assert.Contains($"--skip cannot skip {gate}: it is a gate", skipped.Output);
        }
        var unconfirmed = await RunAsync(site, Args(site, "RotatePhased"));
        Assert.True(unconfirmed.ExitCode == 3, unconfirmed.ToString());
        Assert.Matches(@"\nPreflightPhased\s+Succeeded", unconfirmed.Output);
        Assert.Matches(@"\nAnnouncePhased\s+Failed\s+.*needs --confirm production", unconfirmed.Output);
        Assert.Matches(@"\nRotatePhased\s+NotRun\s+gate AnnouncePhased did not succeed", unconfirmed.Output);

        // No journal, no .env or config write, no secret object, no service update.
        Assert.Equal(tree, site.Hashes());
        Assert.False(Directory.Exists(Path.Combine(site.Root, "key_rotation")) && Directory.EnumerateFiles(Path.Combine(site.Root, "key_rotation"), "journal.jsonl", SearchOption.AllDirectories).Any());
        Assert.Equal(swarm, site.SwarmState());
        Assert.All(site.LastKeyChecks(), check => Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString()));
    }

    [Fact]
    public async Task A_service_whose_replicas_run_keys_env_does_not_name_is_refused_saying_exactly_that_with_nothing_to_resume()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 0);
        var (other1, other2) = (FernetKey.Generate(), FernetKey.Generate());
        var dotEnv = Path.Combine(site.Root, ".env");
        File.WriteAllText(dotEnv, File.ReadAllText(dotEnv).Replace(site.V1.Text, other1.Text).Replace(site.V2.Text, other2.Text));
        var tree = site.Hashes();
        var swarm = site.SwarmState();

        var result = await RunAsync(site, Args(site, "RotatePhased"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"it runs V1 {site.V1.Fingerprint.Hex}, V2 {site.V2.Fingerprint.Hex}, keys that the deployment's .env ({dotEnv}) does not name " +
            $"(it holds V1 {other1.Fingerprint.Hex}, V2 {other2.Fingerprint.Hex})", result.Stderr);
        Assert.Contains("No phased rotation is open, so there is nothing to resume or roll back, and nothing was changed. " +
            "Fix: point the service at the keys in the deployment's .env", result.Stderr);
        Assert.DoesNotContain("ResumePhased", result.Output);
        Assert.DoesNotContain("RollbackPhased", result.Output);
        Assert.Equal(tree, site.Hashes());
        Assert.Equal(swarm, site.SwarmState());
        Canary.AssertAbsent(result.Output, [other1.Text, other2.Text], "the build's output");
    }

    [Fact]
    public async Task Dry_runs_of_ResumePhased_and_RollbackPhased_change_nothing_and_the_real_RollbackPhased_then_exits_0()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 1);
        var dotenvBefore = PythonReferencePeer.Census(site.Root).ValueFingerprints; // .env's values, keys included
        using var engine = SwarmPeer.Engine();
        var killedAfterPhase1 = site.Rotation(engine, killedAfter: RotationStep.PhaseNewKeyReadable);
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => killedAfterPhase1.RotateAsync(Token));
        var tree = site.Hashes();
        var swarm = site.SwarmState();

        var resume = await RunAsync(site, Args(site, "ResumePhased", "--dry-run"));
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Matches(@"\nResumePhased\s+Succeeded\s+.*would resume phased rotation .*would run phase 2: .*would run phase 3: ", resume.Output);
        Assert.Equal(tree, site.Hashes());
        Assert.Equal(swarm, site.SwarmState());

        var rollbackPreview = await RunAsync(site, Args(site, "RollbackPhased", "--dry-run"));
        Assert.True(rollbackPreview.ExitCode == 0, rollbackPreview.ToString());
        Assert.Matches(@"\nRollbackPhased\s+Succeeded\s+.*would roll back phased rotation .*rollback of phase 1: would move", rollbackPreview.Output);
        Assert.Contains("Dry run: a real run would make 1 change(s)", rollbackPreview.Output);
        Assert.Equal(tree, site.Hashes());
        Assert.Equal(swarm, site.SwarmState());

        await using var load = site.Load();
        await load.StartAsync();
        var rollback = await RunAsync(site, Args(site, "RollbackPhased"));
        await load.StopAsync();
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Matches(@"\nRollbackPhased\s+Succeeded\s+.*phased rotation \S+ rolled back on " + site.Service, rollback.Output);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal(dotenvBefore, census.ValueFingerprints);
        Assert.Empty(census.Undecryptable);
    }

    [Fact]
    public async Task A_rollout_that_times_out_exits_5_naming_ResumePhased_which_then_finishes_under_load()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        await using var load = site.Load();
        await load.StartAsync();

        var failed = await RunAsync(site, Args(site, "RotatePhased", "--swarm-rollout-timeout", "1"));
        Assert.True(failed.ExitCode == 5, failed.ToString());
        Assert.Matches(@"\nRotatePhased\s+Failed\s+.*did not converge within 1 s.*ResumePhased", failed.Output);
        var journal = RotationJournal.FindUnfinished(new DeploymentPaths(site.Root).KeyRotation)!;
        Assert.False(journal.HasEnded(RotationStep.PhaseNewKeyReadable));

        // Swarm goes on with the update it was given; Resume starts once it is over, as an operator would.
        using (var engine = SwarmPeer.Engine())
            await engine.WaitConvergedAsync(site.Service, TimeSpan.FromMinutes(2), null, Token);
        var resumed = await RunAsync(site, Args(site, "ResumePhased"));
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("timed-out rollout, then ResumePhased, under load: " + load.Summary);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"\nPreflightPhased\s+Succeeded\s+.*phased rotation " + journal.Id.Value, resumed.Output);
        Assert.Matches(@"\nResumePhased\s+Succeeded\s+.*phased rotation " + journal.Id.Value + " completed", resumed.Output);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal("sha256:" + census.V1, RotationJournal.Find(new DeploymentPaths(site.Root).KeyRotation, journal.Id)!.Fact(JournalFacts.NewPrimary));
        Assert.Equal((3, 3), (census.Fields, census.UnderV1Alone));
    }
}
