using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

public sealed class CensusTests : IDisposable
{
    readonly TempDir dir = new();
    readonly FernetKey v1 = FernetKey.Generate();
    readonly FernetKey v2 = FernetKey.Generate();
    readonly FernetKey stranger = FernetKey.Generate();
    readonly ConfigTreeBuilder config;
    KeyRing Ring => new(v1, v2);

    public CensusTests() => config = new ConfigTreeBuilder(dir.Combine("config"));
    public void Dispose() => dir.Dispose();

    [Fact]
    public void Census_classifies_each_field_by_the_key_that_opens_it_with_file_and_json_path()
    {
        config.Stations("stations.json", v1, v2, stranger);
        var report = Census.Take(config.Scope, Ring, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(
            [("stations.json", "$.stations[0].api_token", (int?)0), ("stations.json", "$.stations[1].api_token", 1), ("stations.json", "$.stations[2].api_token", null)],
            report.Examples.Select(f => (f.File, f.JsonPath, f.KeyIndex)));
        Assert.Equal(v1.Fingerprint, report.Examples[0].Key);
        Assert.Equal(v2.Fingerprint, report.Examples[1].Key);
        Assert.Equal((1, 1, 1), (report.UnderPrimary, report.UnderSecondary, report.Undecryptable.Count));
        Assert.Equal(ConfigTreeBuilder.Written, report.Examples[0].Timestamp);
    }

    [Fact]
    public void Census_finds_prefixed_tokens_at_any_depth_and_in_nested_folders_and_ignores_other_strings()
    {
        config.File("a/b/deep.json", new JsonObject
        {
            ["outer"] = new JsonObject { ["list"] = new JsonArray(1, "plain", new JsonObject { ["secret"] = ConfigTreeBuilder.Field(v2, "x", prefixed: true) }) },
            ["not a token"] = "gAAAAAnot-base64-at-all",
            ["odd key"] = ConfigTreeBuilder.Field(v1, "y"),
        });
        var report = Census.Take(config.Scope, Ring, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([("a/b/deep.json", "$.outer.list[2].secret", true), ("a/b/deep.json", "$['odd key']", false)],
            report.Examples.Select(f => (f.File, f.JsonPath, f.Prefixed)));
        Assert.Equal(new Dictionary<Fingerprint, int> { [v1.Fingerprint] = 1, [v2.Fingerprint] = 1 }, report.CountsByKey);
    }

    [Fact]
    public void Census_skips_our_own_state_and_the_exclusions_but_counts_the_apps_logs_and_backups()
    {
        config.Stations("key_rotation/journal.json", stranger)
            .Stations("incidents/x.json", stranger)
            .Stations("agents/dj.json", stranger)
            .Stations("cache/tmp/x.json", stranger)
            .Stations("snapshots/2024/stations.json", v1)
            .Stations("app/snapshots/stations.json", v1)
            .Stations("logs/app_state.json", v1)
            .Stations("live.json", v1);
        var scope = new DeploymentScope(new DeploymentPaths(Path.GetDirectoryName(config.Root)!), ["agents", "cache/tmp"]);
        var report = Census.Take(scope, Ring, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["app/snapshots/stations.json", "live.json", "logs/app_state.json", "snapshots/2024/stations.json"], report.Examples.Select(f => f.File));
        Assert.Equal(4, report.FilesScanned);
    }

    [Fact]
    public void A_config_file_that_does_not_parse_is_a_typed_error_naming_file_and_line()
    {
        config.Raw("sub/broken.json", "{\n  \"a\": 1,\n  \"b\": plaintext-secret\n}");
        var e = Assert.Throws<ConfigJsonException>(() => Census.Take(config.Scope, Ring, cancellationToken: TestContext.Current.CancellationToken));
        Assert.StartsWith("sub/broken.json:3: ", e.Message);
        Assert.Contains("Fix: ", e.Message);
        Assert.DoesNotContain("plaintext", e.Message);
    }

    [Fact]
    public void Undecryptable_fields_are_a_typed_error_naming_file_and_path_never_the_value()
    {
        config.Stations("stations.json", v1, stranger);
        var report = Census.Take(config.Scope, Ring, cancellationToken: TestContext.Current.CancellationToken);
        var e = Assert.Throws<UndecryptableFieldException>(() => report.ThrowIfUndecryptable());
        Assert.Contains("stations.json $.stations[1].api_token", e.Message);
        Assert.Contains(v1.Fingerprint.ToString(), e.Message);
        Assert.Contains("Fix: ", e.Message);
        Assert.DoesNotContain("gAAAAA", e.Message);
    }

    [Fact]
    public void A_missing_config_folder_has_no_fields()
    {
        var report = Census.Take(new DeploymentScope(new DeploymentPaths(dir.Combine("nowhere"))), Ring, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(report.Examples);
        Assert.Contains("0 encrypted fields in 0 files", report.Summary);
    }

    [Fact]
    public void A_census_counts_every_field_but_keeps_only_the_first_few_of_each_key_and_every_undecryptable_one()
    {
        var keys = Enumerable.Repeat(v1, 30).Concat(Enumerable.Repeat(v2, 25)).Concat(Enumerable.Repeat(stranger, 12)).ToArray();
        config.Stations("a.json", keys).Stations("b.json", v2, v2, v1);
        var report = Census.Take(config.Scope, Ring, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((70, 31, 27, 12, 58), (report.Total, report.UnderPrimary, report.UnderSecondary, report.Undecryptable.Count, report.Decryptable));
        Assert.Equal(new Dictionary<Fingerprint, int> { [v1.Fingerprint] = 31, [v2.Fingerprint] = 27 }, report.CountsByKey);
        var perKey = report.Examples.GroupBy(f => f.KeyIndex).ToDictionary(g => g.Key ?? -1, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [0] = CensusTally.ExamplesPerKey, [1] = CensusTally.ExamplesPerKey, [-1] = CensusTally.ExamplesPerKey }, perKey);
        Assert.Equal("$.stations[30].api_token", report.Examples.First(f => f.KeyIndex == 1).JsonPath);
        Assert.All(report.Examples, f => Assert.Equal("a.json", f.File));
        Assert.Equal(Enumerable.Range(55, 12).Select(i => $"$.stations[{i}].api_token"), report.Undecryptable.Select(f => f.JsonPath));
        Assert.Contains("70 encrypted fields in 2 files: 31 under", report.Summary);
    }
}
