using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 14's re-sequencing against the independent Python app: its own config saves (MultiFernet.rotate) move the
/// fields, before Stop under the current keys and in Verify under the new ones, so the outage has no offline rewrap of
/// them. A field in a folder the app skips (logs/) is still moved, offline, and nothing is lost on either path.
/// </summary>
public sealed class RewrapByTheAppEndToEndTests
{
    const string SkippedByTheApp = "config/logs/archived_station.json";

    [Fact]
    public async Task The_app_moves_its_fields_and_Rotate_rewraps_offline_only_the_file_it_skips()
    {
        await using var site = await PythonSite.CreateAsync();
        // Under V2: the shift drops V2, so this field is lost unless something moves it to V1 first.
        var token = PythonReferencePeer.Encrypt(site.V2.Text, ["archived token"])[0];
        File.WriteAllText(Path.Combine(site.Root, SkippedByTheApp), $$"""{ "api_token": "enc:{{token}}" }""" + "\n");
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.SaveBeforeStop), "no config save by the app before Stop");
        var rewrap = journal.Entries.Single(e => e.Step == RotationStep.Rewrap && e.Phase == StepPhase.Ended);
        Assert.Equal("1", rewrap.Fact(JournalFacts.Rewrapped)); // only the skipped file's field, not the app's six
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Equal(PythonSite.FieldCount + 1, census.Fields);
        Assert.Equal(census.Fields, census.UnderV1Alone);
        Assert.Equal(1, census.UnderRingByFile[SkippedByTheApp]);
        Assert.True(await site.IsRunningAsync());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task Offline_rewraps_every_field_while_the_app_is_down_and_the_app_saves_nothing_before_Stop()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--rewrap-by", "offline"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.SaveBeforeStop);
        var rewrap = journal.Entries.Single(e => e.Step == RotationStep.Rewrap && e.Phase == StepPhase.Ended);
        Assert.Equal(PythonSite.FieldCount.ToString(), rewrap.Fact(JournalFacts.Rewrapped));
        Assert.Equal(PythonSite.FieldCount, site.PythonCensus().UnderV1Alone);
    }

    [Fact]
    public async Task Rewrap_by_the_app_without_its_dashboard_is_a_Preflight_refusal_that_changes_nothing()
    {
        await using var site = await PythonSite.CreateAsync();
        var before = site.KeyAndConfigHashes();
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. site.BuildArgs("Rotate"), "--rewrap-by", "app", "--dashboard-url", "none"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("--rewrap-by app needs the running app's dashboard", result.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());
        Assert.Null(RotationJournal.FindLatest(site.Paths.KeyRotation));
        Assert.True(await site.IsRunningAsync());
    }
}
