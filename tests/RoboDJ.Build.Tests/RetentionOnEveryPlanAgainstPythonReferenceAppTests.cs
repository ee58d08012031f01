using System.Globalization;
using RoboDJ.Build.Tests.Fleet;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// One retention for every plan (issue 20): the same rotations with the same --keep-snapshots leave the same snapshots
/// and no retired key on disk, whether one host of the Python reference app rotates (Rotate) or a fleet of 3 of them
/// (RotateFleet, the phased plan). Retired keys are looked for by value, in every file of the deployment. Each case ends
/// with python's own census of the config tree. Peers: Debian's python3 with cryptography and dotenv, real processes.
/// </summary>
public sealed class RetentionOnEveryPlanAgainstPythonReferenceAppTests
{
    const string OneHost = "one host";
    const string FleetOfThree = "a fleet of 3 hosts";
    const int Rotations = 3;

    public static TheoryData<string, int> PlansAndKeeps() => new() { { OneHost, 1 }, { OneHost, 2 }, { FleetOfThree, 1 }, { FleetOfThree, 2 } };

    [Theory]
    [MemberData(nameof(PlansAndKeeps))]
    public async Task Three_rotations_leave_the_snapshots_of_the_newest_kept_ones_and_no_retired_key_anywhere_on_disk(string plan, int keep)
    {
        await using var deployment = await Deployment.StartAsync(plan);
        using var build = new BuildProcess();
        var pairsBefore = new List<KeySlots>();
        var outputs = new List<string>();
        for (var i = 1; i <= Rotations; i++)
        {
            // Rotation ids order by their second, then by a random suffix: two rotations in one second have no order.
            if (i > 1) await Task.Delay(TimeSpan.FromMilliseconds(1100), TestContext.Current.CancellationToken);
            pairsBefore.Add(await deployment.KeysAsync());
            var rotation = await build.RunAsync([.. deployment.RotateArgs, "--keep-snapshots", keep.ToString(CultureInfo.InvariantCulture)], deployment.Environment);
            outputs.Add(rotation.Output);
            Assert.True(rotation.ExitCode == 0, $"{plan}, rotation {i}: {rotation}");
        }

        var journals = RotationJournal.All(deployment.Paths.KeyRotation).ToList();
        Assert.Equal(Rotations, journals.Count(j => j.HasEnded(RotationStep.Completed)));
        Assert.Equal(journals.TakeLast(keep).Select(j => j.Id), journals.Where(j => Directory.Exists(deployment.Paths.SnapshotDirectory(j.Id))).Select(j => j.Id));
        var retention = journals[^1].Entries.Last();
        Assert.Equal((RotationStep.Retention, StepPhase.Ended), (retention.Step, retention.Phase));
        Assert.Equal(journals[^(keep + 1)].Id.Value, retention.Fact("removed_snapshots"));

        // By value: a key is allowed on disk only in .env (the current pair) or in a kept snapshot (the pair before it).
        var now = await deployment.KeysAsync();
        var allowed = pairsBefore.TakeLast(keep).Append(now).SelectMany(Keys).Select(k => k.Text).ToHashSet();
        var retired = pairsBefore.SelectMany(Keys).Select(k => k.Text).Where(k => !allowed.Contains(k)).Distinct().ToList();
        Assert.NotEmpty(retired);
        Canary.AssertAbsentFromTree(deployment.Folder, retired);
        // The scan sees into the snapshots: the kept one's retired V2 is there, as Rollback needs it.
        var keptOnlyInSnapshot = Keys(pairsBefore[^1]).Single(k => !Keys(now).Contains(k)).Text;
        Assert.Contains(Directory.EnumerateFiles(deployment.Paths.KeyRotation, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(keptOnlyInSnapshot, StringComparison.Ordinal));

        var census = PythonReferencePeer.Census(deployment.Paths.Root);
        Assert.Equal(now.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal((deployment.Fields, deployment.Fields), (census.Fields, census.UnderV1Alone));
        Assert.Empty(census.Undecryptable);
        foreach (var output in outputs)
            Canary.AssertAbsent(output, deployment.Canaries.Concat(Keys(now).Select(k => k.Text)), "the build's output");
    }

    static IReadOnlyList<FernetKey> Keys(KeySlots pair) => new[] { pair.Primary, pair.Secondary }.OfType<FernetKey>().ToList();

    /// <summary>A running deployment of the reference app under one plan, with the build's arguments that rotate it.</summary>
    sealed record Deployment(IAsyncDisposable Site, DeploymentPaths Paths, string Folder, string[] RotateArgs, Dictionary<string, string>? Environment,
        int Fields, IReadOnlyList<string> Canaries) : IAsyncDisposable
    {
        public static async Task<Deployment> StartAsync(string plan)
        {
            if (plan == OneHost)
            {
                var site = await PythonSite.CreateAsync();
                return new(site, site.Paths, site.Root, site.BuildArgs("Rotate"), null, PythonSite.FieldCount, site.Canaries);
            }
            var fleet = await FleetSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 2);
            return new(fleet, new DeploymentPaths(fleet.SharedRoot), Path.GetDirectoryName(fleet.SharedRoot)!,
                ["RotateFleet", "--env", "sandbox", "--deployment-root", fleet.SharedRoot, "--fleet", fleet.FleetFilePath, "--verify-timeout", "60"],
                new() { ["DASHBOARD_PASSWORD"] = fleet.Password }, 5, fleet.Canaries);
        }

        public Task<KeySlots> KeysAsync() => new DotEnvSecretStore(Paths.DotEnv).ReadAsync(CancellationToken.None);

        public ValueTask DisposeAsync() => Site.DisposeAsync();
    }
}
