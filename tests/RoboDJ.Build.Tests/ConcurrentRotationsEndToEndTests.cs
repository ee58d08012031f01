using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 9, defect 7: Preflight takes the lock, so of two rotations started together only one announces; the other is
/// refused at Preflight (exit 3) and never advises --break-lock for a lock that is live or still being written.
/// </summary>
public sealed class ConcurrentRotationsEndToEndTests
{
    const string Announced = "Key rotation: sandbox,";

    [Fact]
    public async Task Of_two_rotations_started_together_only_one_announces_and_the_other_is_refused_at_Preflight()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var first = new BuildProcess();
        using var second = new BuildProcess();
        var original = await site.KeysAsync();
        string[] args = ["Rotate", "--env", "sandbox", "--deployment-root", site.Root];

        var results = await Task.WhenAll(first.RunAsync(args), second.RunAsync(args));

        var all = string.Join("\n----\n", results.Select(r => r.ToString()));
        Assert.True(results.Select(r => r.ExitCode).Order().SequenceEqual([0, 3]), all);
        var winner = results.Single(r => r.ExitCode == 0);
        var loser = results.Single(r => r.ExitCode == 3);
        Assert.Contains(Announced, winner.Output);
        Assert.DoesNotContain(Announced, loser.Output);
        Assert.Contains("another rotation", loser.Output);
        Assert.DoesNotContain("rerun with --break-lock", loser.Output);

        Assert.Single(RotationJournal.All(site.Paths.KeyRotation));
        var keys = await site.KeysAsync();
        Assert.Equal(original.Primary, keys.Secondary);
        var census = await site.CensusAsync();
        Assert.Equal(census.Total, census.UnderPrimary);
        RunningApp.AssertRunsWith(site, keys.Primary!.Fingerprint);
    }
}
