using System.Text.Json;
using RoboDJ.Build.Tests.GitHub;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Build.Tests.Swarm;
using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Secrets;
using Xunit;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// The jobs of rotate-fleet.yml run by hand in the order `needs:` gives them, each as the built build with the
/// environment a job gets (GITHUB_ACTIONS, $GITHUB_OUTPUT, the secret mapping), against the stateful fake GitHub
/// (environment secrets sealed under a real key pair) and 3 reference-app hosts under load.
/// </summary>
public sealed class FleetMatrixJobsEndToEndTests : IDisposable
{
    readonly TempDir temp = new("robodj-fleet-jobs");

    [Fact]
    public async Task The_jobs_hand_the_next_key_off_once_rotate_every_host_under_load_and_promote_it_in_the_environments_secrets()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 2);
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log");
        await using var load = new LoadGenerator(site.Ports, site.Password);
        await load.StartAsync();
        var outputs = new List<BuildProcess.Result>();

        var plan = await Job(build, outputs, gitHub, site, null, "FleetMatrix", "FleetKeyHandOff");
        var next = FernetKey.Parse(gitHub.OpenSecret("sandbox", FleetKeys.NextName)!, "the fake's environment secret");
        var writes = gitHub.Writes.Count();
        var rerun = await Job(build, outputs, gitHub, site, next, "FleetMatrix", "FleetKeyHandOff");
        var writesByTheRerun = gitHub.Writes.Count() - writes;
        var jobOutputs = File.ReadAllLines(OutputFile).Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        var hosts = JsonDocument.Parse(jobOutputs["hosts"]).RootElement.GetProperty("include").EnumerateArray()
            .Select(h => (Host: h.GetProperty("host").GetString()!, Runner: h.GetProperty("runner").GetString()!)).ToList();
        var outOfOrder = await Job(build, outputs, gitHub, site, next, "FleetPhase", "--phase", "2", "--fleet-host", "host-1");

        foreach (var (phase, names) in new[] { (0, new[] { jobOutputs["writer"] }), (1, hosts.Select(h => h.Host).ToArray()), (2, hosts.Select(h => h.Host).ToArray()), (3, [jobOutputs["writer"]]) })
            foreach (var host in names)
            {
                var job = await Job(build, outputs, gitHub, site, next, "FleetPhase", "--phase", phase.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fleet-host", host);
                Assert.True(job.ExitCode == 0, $"phase {phase} on {host}: {job}");
            }
        var promote = await Job(build, outputs, gitHub, site, next, "FleetPromote");
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("rotate-fleet's jobs in order under load: " + load.Summary);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal((1, 0), (writes, writesByTheRerun));
        Assert.Contains("already in", rerun.Output);
        Assert.Equal([("host-1", "robodj-host-1"), ("host-2", "robodj-host-2"), ("host-3", "robodj-host-3")], hosts);
        Assert.Equal(("host-1", "robodj-host-1"), (jobOutputs["writer"], jobOutputs["writer_runner"]));
        Assert.NotEqual(0, outOfOrder.ExitCode);
        Assert.Contains("replica host-1: its key check reports V1 " + site.V1.Fingerprint.Hex, outOfOrder.Output);
        Assert.True(promote.ExitCode == 0, promote.ToString());
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);

        Assert.Equal(next.Text, gitHub.OpenSecret("sandbox", KeySlots.PrimaryName));
        Assert.Equal(site.V1.Text, gitHub.OpenSecret("sandbox", KeySlots.SecondaryName));
        Assert.Null(gitHub.OpenSecret("sandbox", FleetKeys.NextName));
        var census = PythonReferencePeer.Census(site.HostRoot(1));
        Assert.Equal((next.Fingerprint.Hex, site.V1.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((5, 5), (census.Fields, census.UnderV1Alone));
        Assert.All(site.HostCensuses(), host => Assert.Equal((next.Fingerprint.Hex, site.V1.Fingerprint.Hex), (host.V1, host.V2)));
        var shown = string.Join("\n", outputs.SelectMany(o => o.Output.Split('\n')).Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        Canary.AssertAbsent(shown, [.. site.Canaries, next.Text, gitHub.Token], "the jobs' output");
    }

    string OutputFile => temp.Combine("github_output");

    /// <summary>One job: the environment's secrets as rotate-fleet.yml maps them, the next key once the plan stored it.</summary>
    async Task<BuildProcess.Result> Job(BuildProcess build, List<BuildProcess.Result> outputs, FakeGitHub gitHub, FleetSite site, FernetKey? next, params string[] targetAndArgs)
    {
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = OutputFile,
            ["GITHUB_TOKEN"] = gitHub.Token,
            ["DASHBOARD_PASSWORD"] = site.Password,
            [KeySlots.PrimaryName] = site.V1.Text,
            [KeySlots.SecondaryName] = site.V2.Text,
        };
        if (next is not null) environment[FleetKeys.NextName] = next.Text;
        var result = await build.RunAsync([.. targetAndArgs, "--env", "sandbox", "--fleet", site.FleetFilePath], environment);
        outputs.Add(result);
        return result;
    }

    public void Dispose() => temp.Dispose();
}
