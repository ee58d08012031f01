using System.Text.Json;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;

namespace RoboDJ.Build.Tests;

/// <summary>Issue 9, defect 5: --break-lock takes only a stale lock, and says why; a live rotation's lock is refused.</summary>
public sealed class BreakLockEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] extra) => ["Rotate", "--env", "sandbox", "--deployment-root", site.Root, .. extra];

    [Fact]
    public async Task Rotate_and_Rotate_with_break_lock_50_ms_apart_rotate_once_and_the_other_is_refused_naming_the_holder()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var first = new BuildProcess();
        using var second = new BuildProcess();
        var original = await site.KeysAsync();

        var plain = first.RunAsync(Args(site));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var breaking = second.RunAsync(Args(site, "--break-lock"));
        var results = await Task.WhenAll(plain, breaking);

        Assert.True(results.Select(r => r.ExitCode).Order().SequenceEqual([0, 3]), string.Join("\n----\n", results.Select(r => r.ToString())));
        var loser = results.Single(r => r.ExitCode == 3);
        Assert.Contains("another rotation holds the lock", loser.Output);
        Assert.Matches(@"\(pid \d+\)", loser.Output);
        Assert.Matches(@"heartbeat \d+ s old", loser.Output);
        Assert.DoesNotContain("Took over", loser.Output);
        // Refused whichever way the loser found the lock live: by its heartbeat, or by the kernel lock the winner holds.
        if (loser == results[1]) Assert.Matches("--break-lock takes only a stale lock|no run can take this lock over, --break-lock or not", loser.Output);

        var journal = Assert.Single(RotationJournal.All(site.Paths.KeyRotation));
        Assert.True(journal.HasEnded(RotationStep.Completed));
        var keys = await site.KeysAsync();
        Assert.Equal(original.Primary, keys.Secondary); // rotated exactly once
        var census = await site.CensusAsync();
        Assert.Equal(census.Total, census.UnderPrimary);
        RunningApp.AssertRunsWith(site, keys.Primary!.Fingerprint);
    }

    [Fact]
    public async Task Break_lock_takes_a_lock_whose_heartbeat_is_stale_and_says_so()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        Directory.CreateDirectory(site.Paths.KeyRotation);
        File.WriteAllText(site.Paths.RotationLock, JsonSerializer.Serialize(new RotationLockInfo("bob", "another-host", 4242, "sandbox", old, old)));

        var refused = await build.RunAsync(Args(site));
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("stale heartbeat", refused.Output);
        Assert.Contains("rerun with --break-lock", refused.Output);

        var taken = await build.RunAsync(Args(site, "--break-lock"));
        Assert.True(taken.ExitCode == 0, taken.ToString());
        Assert.Contains("Took over the stale rotation lock", taken.Output);
        Assert.Contains("over the 120 s limit", taken.Output);
        Assert.False(File.Exists(site.Paths.RotationLock));
        var keys = await site.KeysAsync();
        Assert.Equal(original.Primary, keys.Secondary);
        var census = await site.CensusAsync();
        Assert.Equal(census.Total, census.UnderPrimary);
        RunningApp.AssertRunsWith(site, keys.Primary!.Fingerprint);
    }
}
