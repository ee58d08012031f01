using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>`Status` reads a live sandbox and changes nothing; each unhealthy state has its own exit code (README).</summary>
public sealed class StatusEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task After_a_rotation_Status_shows_the_keys_their_age_the_census_and_the_snapshot_and_changes_nothing()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        Assert.Equal(0, (await build.RunAsync(Args(site, "Rotate"))).ExitCode);
        var keys = await site.KeysAsync();
        var before = site.Hashes();

        var result = await build.RunAsync(Args(site, "Status", "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, site.Hashes());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(build.Root, ".nuke", "temp", "status.json")));
        var root = json.RootElement;
        Assert.Equal("healthy", root.GetProperty("verdict").GetString());
        Assert.Equal(keys.Primary!.Fingerprint.ToString(), root.GetProperty("v1").GetProperty("fingerprint").GetString());
        Assert.Equal(keys.Secondary!.Fingerprint.ToString(), root.GetProperty("v2").GetProperty("fingerprint").GetString());
        Assert.Equal(0, root.GetProperty("v1").GetProperty("age_days").GetInt32());
        Assert.Equal((await site.CensusAsync()).Total, root.GetProperty("census").GetProperty("under_v1").GetInt32());
        Assert.Equal(1, root.GetProperty("snapshots_kept").GetArrayLength());
        Assert.Contains("lock: free", result.Output);
        var canaries = site.Canaries.Concat([keys.Primary.Text]).ToList();
        Canary.AssertAbsent(result.Output, canaries, "Status's output");
        Canary.AssertAbsent(json.RootElement.GetRawText(), canaries, "status.json");
    }

    [Fact]
    public async Task A_V1_older_than_the_policy_exits_6_and_says_rotate()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        Assert.Equal(0, (await build.RunAsync(Args(site, "Rotate"))).ExitCode);

        var result = await build.RunAsync(Args(site, "Status", "--max-key-age", "0"));

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("over the 0-day policy: rotate it", result.Output);
    }

    [Fact]
    public async Task A_field_no_key_opens_exits_8_naming_it()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var stranger = FernetToken.Encrypt(FernetKey.Generate(), Encoding.UTF8.GetBytes("lost"));
        File.WriteAllText(Path.Combine(site.Paths.Config, "orphan.json"), $"{{\"token\": \"{stranger}\"}}");

        var result = await build.RunAsync(Args(site, "Status"));

        Assert.True(result.ExitCode == 8, result.ToString());
        Assert.Contains("config/orphan.json $.token", result.Output);
    }

    [Fact]
    public async Task An_unfinished_rotation_exits_9_and_names_Resume_and_Rollback()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var crashed = await build.RunAsync(Args(site, "Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = "3" });
        Assert.NotEqual(0, crashed.ExitCode);
        var before = site.Hashes();

        var result = await build.RunAsync(Args(site, "Status"));

        Assert.True(result.ExitCode == 9, result.ToString());
        Assert.Contains("is unfinished", result.Output);
        Assert.Contains("Resume", result.Output);
        Assert.Contains("Rollback", result.Output);
        Assert.Equal(before, site.Hashes());
    }

    [Fact]
    public async Task Under_GitHub_Actions_the_job_summary_shows_what_the_console_shows_with_the_verdict()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        Assert.Equal(0, (await build.RunAsync(Args(site, "Rotate"))).ExitCode);
        var keys = await site.KeysAsync();
        var summaryFile = Path.Combine(build.Root, "step_summary.md");

        var result = await build.RunAsync(Args(site, "Status", "--max-key-age", "0"),
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summaryFile });

        Assert.True(result.ExitCode == 6, result.ToString());
        var summary = File.ReadAllText(summaryFile);
        Assert.Contains($"### Status of sandbox: V1 {keys.Primary!.Fingerprint} is 0 days old, over the 0-day policy: rotate it (exit 6)", summary);
        Assert.Contains("| lock | free |", summary);
        var journal = Assert.Single(KeyRotation.Journal.RotationJournal.All(site.Paths.KeyRotation));
        Assert.Contains($"| snapshots kept | 1 ({journal.Id}) |", summary);
        // Every fact the console printed is a row of the table, label and text.
        foreach (var label in new[] { $"V1 {keys.Primary.Fingerprint}", $"V2 {keys.Secondary!.Fingerprint}", "census", "app" })
        {
            var line = result.Output.Split('\n').First(l => l.Contains($"{label}: "));
            var text = line[(line.IndexOf($"{label}: ", StringComparison.Ordinal) + label.Length + 2)..].TrimEnd();
            Assert.Contains($"| {label} | {text} |", summary);
        }
        Canary.AssertAbsent(summary, site.Canaries.Concat([keys.Primary.Text]), "the job summary");
    }
}
