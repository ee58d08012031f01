using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 9, defect 6 (verdicts): a postmortem is never overwritten by a later Rollback, and a restore that succeeded
/// while the dashboard check after it failed is reported as exactly that, not as "manual restore needed".
/// </summary>
public sealed class HonestRollbackVerdictEndToEndTests
{
    static string[] Args(SandboxSite site, string target) => [target, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task Running_Rollback_again_writes_a_second_postmortem_and_keeps_the_first_word_for_word()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var originalFiles = site.KeyAndConfigHashes();
        var failed = await build.RunAsync(Args(site, "Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify" });
        Assert.True(failed.ExitCode == 4, failed.ToString());
        var first = Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        var firstText = File.ReadAllText(first);
        Assert.Contains("**Failed target:** Verify", firstText);

        var again = await build.RunAsync(Args(site, "Rollback"));

        Assert.True(again.ExitCode == 0, again.ToString());
        var postmortems = Directory.GetFiles(site.Paths.Incidents, "*.md").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, postmortems.Count);
        Assert.Equal(firstText, File.ReadAllText(first));
        var second = File.ReadAllText(postmortems.Single(p => p != first));
        Assert.Contains("rolled back cleanly", second);
        Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        RunningApp.AssertRunsWith(site, original.Primary!.Fingerprint);
    }

    [Fact]
    public async Task A_restore_that_succeeded_with_a_failing_dashboard_check_says_exactly_that_and_exits_5()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var originalFiles = site.KeyAndConfigHashes();
        // Verify fails, the restore is fine, then the dashboard check after it fails (a wrong password is Preflight's refusal now).
        var result = await build.RunAsync(Args(site, "Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = "Verify,RollbackDashboard" });

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("RESTORED, BUT THE DASHBOARD CHECK FAILED", result.Output);
        Assert.Contains("Do not restore again", result.Output);
        Assert.DoesNotContain("Rollback failed: manual action needed", result.Output);
        var postmortem = File.ReadAllText(Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md")));
        Assert.Contains("RESTORED, BUT THE DASHBOARD CHECK FAILED", postmortem);
        Assert.Contains("Restored (", postmortem);
        Assert.DoesNotContain("Nothing was restored", postmortem);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        Assert.Equal(originalFiles, site.KeyAndConfigHashes());
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        RunningApp.AssertRunsWith(site, original.Primary!.Fingerprint);
        Canary.AssertAbsent(result.Output + postmortem, site.Canaries, "output and postmortem");
    }
}
