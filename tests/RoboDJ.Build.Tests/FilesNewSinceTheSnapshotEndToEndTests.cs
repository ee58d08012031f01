using RoboDJ.Build.Tests.PythonReference;
using System.Text;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Build.Tests;

/// <summary>The app writes a config file after Snapshot and before Stop: Rewrap changes it, so Rollback must give it back.</summary>
public sealed class FilesNewSinceTheSnapshotEndToEndTests
{
    [Fact]
    public async Task A_config_file_written_between_Snapshot_and_Stop_opens_after_a_rollback()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var keys = await site.KeysAsync();
        var late = Path.Combine(site.Paths.Config, "late.json");
        // Paused after the snapshot's end (the 3rd journal line); Verify is made to fail so that Rollback runs.
        var hooks = new Dictionary<string, string>
        {
            ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "3", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify",
        };

        var result = await build.RunAsync(["Rotate", "--env", "sandbox", "--deployment-root", site.Root], hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { Entries.Count: >= 3 })) return;
            File.WriteAllText(late, $"{{\"token\": \"{FernetToken.Encrypt(keys.Primary!, Encoding.UTF8.GetBytes("late"))}\"}}");
        });

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("appeared after it was taken", result.Output);
        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.Empty(census.Undecryptable);
        Assert.Equal(1, census.UnderRingByFile["config/late.json"]);
    }
}
