using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Build.Tests.Swarm;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using Xunit;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// Issue 19, "targets act before they validate", on the phased plan: ResumeFleet and RollbackFleet after a fleet
/// rotation left open at the phase 1 boundary (3 hosts of the Python reference app), with inputs someone changed since.
/// Each is refused with exit 3 before any change, naming the file and the fix: no host restarted or re-keyed, every
/// entry of the shared deployment and of each host unchanged (hash, mode, owner), python's census unchanged, no key
/// in the output.
/// </summary>
public sealed class FleetRecoveryValidatesBeforeItActsAgainstPythonReferenceAppTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ResumeFleet")]
    [InlineData("RollbackFleet")]
    public async Task A_shared_env_key_the_journal_does_not_name_is_refused_before_any_host_is_touched(string target)
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        var (journal, fresh) = await LeftOpenAfterPhase1Async(site);
        var stranger = FernetKey.Generate();
        var dotEnv = new DeploymentPaths(site.SharedRoot).DotEnv;
        File.WriteAllText(dotEnv, File.ReadAllText(dotEnv).Replace(site.V1.Text, stranger.Text));
        var before = Before.Take(site);

        var refused = await Run(site, target);

        before.AssertRefusedAndUntouched(site, refused, target, [stranger.Text, fresh.Text]);
        Assert.Contains($"dotenv {dotEnv} holds V1 {stranger.Fingerprint}", refused.Output);
        Assert.Contains(journal.FilePath, refused.Output);
        Assert.Contains($"V1 {site.V1.Fingerprint}", refused.Output);
    }

    [Theory]
    [InlineData("ResumeFleet", ".env")]
    [InlineData("ResumeFleet", "config/settings.json")]
    [InlineData("RollbackFleet", ".env")]
    [InlineData("RollbackFleet", "config/settings.json")]
    public async Task A_snapshot_file_that_no_longer_matches_its_manifest_is_refused_before_any_host_is_touched(string target, string file)
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        var (journal, fresh) = await LeftOpenAfterPhase1Async(site);
        var snapshot = new DeploymentPaths(site.SharedRoot).SnapshotDirectory(journal.Id);
        var copy = Path.Combine(snapshot, "files", file);
        File.AppendAllText(copy, file == ".env" ? "# edited\n" : " ");
        var before = Before.Take(site);

        var refused = await Run(site, target);

        before.AssertRefusedAndUntouched(site, refused, target, [fresh.Text]);
        Assert.Contains($"{file}: its SHA-256 does not match the manifest", refused.Output);
        Assert.Contains(snapshot, refused.Output);
        Assert.DoesNotMatch(@"copy \S*snapshot", refused.Output);
    }

    [Theory]
    [InlineData("ResumeFleet", "removed")]
    [InlineData("ResumeFleet", "unreadable")]
    [InlineData("RollbackFleet", "removed")]
    [InlineData("RollbackFleet", "unreadable")]
    public async Task A_journal_whose_unfinished_rotation_is_gone_or_unreadable_is_refused_before_any_host_is_touched(string target, string damage)
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        var (journal, fresh) = await LeftOpenAfterPhase1Async(site);
        if (damage == "removed") File.Delete(journal.FilePath);
        else File.AppendAllText(journal.FilePath, "{\"step\": not json}\n");
        var before = Before.Take(site);

        var refused = await Run(site, target);

        before.AssertRefusedAndUntouched(site, refused, target, [fresh.Text]);
        if (damage == "removed") Assert.Contains($"no unfinished phased rotation in {new DeploymentPaths(site.SharedRoot).KeyRotation}", refused.Output);
        else Assert.Contains($"{journal.FilePath}:", refused.Output);
    }

    /// <summary>A fleet rotation whose runner died right after phase 1 ended: every host runs V1 = old, V2 = new.</summary>
    static async Task<(RotationJournal Journal, FernetKey Fresh)> LeftOpenAfterPhase1Async(FleetSite site)
    {
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => site.Rotation(killedAfter: RotationStep.PhaseNewKeyReadable).RotateAsync(Token));
        var journal = RotationJournal.FindUnfinished(new DeploymentPaths(site.SharedRoot).KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.PhaseNewKeyReadable));
        var fresh = (await new DotEnvSecretStore(new DeploymentPaths(site.SharedRoot).DotEnv).ReadAsync(Token)).Secondary!;
        Assert.Equal(journal.Fact(JournalFacts.NewPrimary), fresh.Fingerprint.ToString());
        return (journal, fresh);
    }

    static async Task<BuildProcess.Result> Run(FleetSite site, string target)
    {
        using var build = new BuildProcess();
        return await build.RunAsync([target, "--env", "sandbox", "--deployment-root", site.SharedRoot, "--fleet", site.FleetFilePath, "--verify-timeout", "60"],
            new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.Password });
    }

    /// <summary>What must still hold after a refusal: every tree, each host's app process, python's census of each .env and of the config.</summary>
    sealed record Before(IReadOnlyList<SortedDictionary<string, string>> Trees, IReadOnlyList<int> Pids, string Census)
    {
        public static Before Take(FleetSite site) => new(
            Roots(site).Select(root => TreeState.Of(root, "config/logs")).ToList(),
            Enumerable.Range(1, FleetSite.Hosts).Select(n => Pid(site, n)).ToList(),
            CensusOf(site));

        public void AssertRefusedAndUntouched(FleetSite site, BuildProcess.Result refused, string target, IEnumerable<string> moreKeys)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(refused.Output);
            Assert.True(refused.ExitCode == 3, refused.ToString());
            Assert.Contains("refused", refused.Output);
            Assert.DoesNotContain($"{target} succeeded", refused.Output);
            foreach (var (root, tree) in Roots(site).Zip(Trees)) TreeState.AssertUnchanged(tree, root, "config/logs");
            Assert.Equal(Pids, Enumerable.Range(1, FleetSite.Hosts).Select(n => Pid(site, n)).ToList());
            Assert.All(Pids, pid => Assert.True(RoboDJ.KeyRotation.Runtimes.ProcessTable.Get(pid) is not null, $"the app {pid} was stopped"));
            Assert.Equal(Census, CensusOf(site));
            Canary.AssertAbsent(refused.Output, site.Canaries.Concat(moreKeys), "the build's output");
        }

        static IEnumerable<string> Roots(FleetSite site) => [site.SharedRoot, .. Enumerable.Range(1, FleetSite.Hosts).Select(site.HostRoot)];

        static int Pid(FleetSite site, int n) => int.Parse(File.ReadAllText(Path.Combine(site.HostRoot(n), "robodj.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        static string CensusOf(FleetSite site) =>
            JsonSerializer.Serialize(new[] { PythonReferencePeer.Census(site.SharedRoot) }.Concat(site.HostCensuses()));
    }
}
