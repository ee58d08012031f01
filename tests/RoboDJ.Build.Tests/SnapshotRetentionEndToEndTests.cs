using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>Retired keys do not linger: rotations of a running sandbox app keep only the snapshots retention allows.</summary>
public sealed class SnapshotRetentionEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task Three_rotations_keep_one_snapshot_journal_what_was_shredded_and_leave_the_first_keys_nowhere_on_disk()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var outputs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var rotation = await build.RunAsync(Args(site, "Rotate"));
            outputs.Add(rotation.Output);
            Assert.True(rotation.ExitCode == 0, rotation.ToString());
        }

        var journals = RotationJournal.All(site.Paths.KeyRotation).ToList();
        Assert.Equal(3, journals.Count);
        Assert.Equal([journals[2].Id], journals.Where(j => Directory.Exists(site.Paths.SnapshotDirectory(j.Id))).Select(j => j.Id));
        var retention = journals[2].Entries.Last();
        Assert.Equal(RotationStep.Retention, retention.Step);
        Assert.Equal(journals[1].Id.Value, retention.Fact("removed_snapshots"));
        Assert.Contains(original.Primary!.Fingerprint.ToString(), retention.Fact("keys_gone_from_disk"));
        // The original V1 and V2 were in the first snapshot only: shredded, they are nowhere under the deployment.
        Canary.AssertAbsentFromTree(site.Root, [original.Primary.Text, original.Secondary!.Text]);
        Assert.Empty((await site.CensusAsync()).Undecryptable);

        var status = await build.RunAsync(Args(site, "Status"));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"snapshots kept: 1 ({journals[2].Id})", status.Output);
        var now = await site.KeysAsync();
        foreach (var output in outputs.Append(status.Output))
            Canary.AssertAbsent(output, site.Canaries.Concat([now.Primary!.Text, now.Secondary!.Text]), "the build's output");
    }
}
