using System.Security.Cryptography;
using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

public class GitHubStepSummaryTests
{
    static string NewFernetLikeKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    [Fact]
    public void The_summary_opens_with_the_outcome_then_the_table_of_targets()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder().Build());
        Assert.StartsWith("## ✅ Rotate --env staging\n\n**Outcome:** Succeeded\n\n| Target | Status | Duration | Note |\n| --- | --- | --- | --- |\n", text);
        Assert.Contains("| Preflight | ✅ succeeded | 0:01.2 | census: 12 fields under V1, 3 under V2 |\n", text);
        Assert.Contains("| Rollback | ⚪ not run | 0:00.0 |  |\n", text);
        Assert.DoesNotContain("dry run", text);
    }

    [Fact]
    public void A_failed_run_shows_the_cross_the_failed_row_and_the_error()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder()
            .WithTarget("Start", StepStatus.Failed, error: "container robodj-app-1 is unhealthy")
            .WithTarget("Verify", StepStatus.NotRun)
            .WithTarget("Rollback", StepStatus.Succeeded, note: "restored both slots")
            .WithOutcome("Failed: rotation failed, rolled back cleanly").Build());
        Assert.StartsWith("## ❌ Rotate --env staging\n\n**Outcome:** Failed: rotation failed, rolled back cleanly\n", text);
        Assert.Contains("| Start | ❌ failed | 0:06.0 |  |\n", text);
        Assert.Contains("### Errors\n\n- **Start**: container robodj-app-1 is unhealthy\n", text);
    }

    [Fact]
    public void The_graph_is_a_mermaid_flowchart_with_nodes_coloured_by_status_and_the_plan_edges()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder()
            .WithTarget("Verify", StepStatus.Failed).WithTarget("Rollback", StepStatus.Aborted).WithTarget("Announce", StepStatus.Skipped).Build());
        var graph = text[text.IndexOf("```mermaid\nflowchart LR\n", StringComparison.Ordinal)..];
        graph = graph[..(graph.IndexOf("\n```\n", StringComparison.Ordinal) + 5)];

        Assert.Contains("  t0[\"Preflight<br/>succeeded\"]:::succeeded\n", graph);
        Assert.Contains("  t1[\"Announce<br/>skipped\"]:::skipped\n", graph);
        Assert.Contains("  t6[\"Verify<br/>failed\"]:::failed\n", graph);
        Assert.Contains("  t7[\"Rollback<br/>aborted\"]:::aborted\n", graph);
        Assert.Contains("  t3 --> t4\n", graph);
        Assert.Contains("  t4 -.->|triggers| t5\n", graph);
        Assert.Contains("  t6 -.- t7\n", graph);
        Assert.DoesNotContain("NotInThePlan", graph);
        foreach (var name in new[] { "succeeded", "failed", "skipped", "notrun", "aborted" })
            Assert.Contains($"  classDef {name} ", graph);
    }

    [Fact]
    public void A_not_run_target_gets_the_notrun_class()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder().Build());
        Assert.Contains("  t7[\"Rollback<br/>not run\"]:::notrun\n", text);
    }

    [Fact]
    public void A_dry_run_says_that_nothing_was_changed()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder().AsDryRun().Build());
        Assert.Contains("**Outcome:** Succeeded (dry run: nothing was changed)\n", text);
    }

    [Fact]
    public void The_callers_sections_follow_the_graph_in_order()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder()
            .WithSection(StepSummarySection.Table("Key fingerprints", ["Slot", "Before", "After"],
                [["V1 (ROBODJ_SECRET_KEY)", "sha256:1a2b3c4d5e6f", "sha256:0f9e8d7c6b5a"], ["V2 (ROBODJ_SECRET_V2_KEY)", "sha256:aaaaaaaaaaaa", "sha256:1a2b3c4d5e6f"]]))
            .WithSection(StepSummarySection.Table("Census", ["Key", "Fields"], [["V1", "12"], ["V2", "3"], ["undecryptable", "0"]]))
            .WithSection(StepSummarySection.Links("GitHub issues", [("Announcement #12", "https://github.example/o/r/issues/12"), ("Incident #13", "https://github.example/o/r/issues/13")]))
            .Build());
        var graphEnd = text.IndexOf("\n```\n", StringComparison.Ordinal);
        var fingerprints = text.IndexOf("### Key fingerprints\n\n| Slot | Before | After |\n| --- | --- | --- |\n| V1 (ROBODJ_SECRET_KEY) | sha256:1a2b3c4d5e6f | sha256:0f9e8d7c6b5a |\n", StringComparison.Ordinal);
        var census = text.IndexOf("### Census\n\n| Key | Fields |\n", StringComparison.Ordinal);
        var links = text.IndexOf("### GitHub issues\n\n- [Announcement #12](https://github.example/o/r/issues/12)\n- [Incident #13](https://github.example/o/r/issues/13)\n", StringComparison.Ordinal);
        Assert.True(graphEnd > 0 && fingerprints > graphEnd && census > fingerprints && links > census, text);
    }

    [Fact]
    public void A_note_cannot_break_the_table_or_inject_html()
    {
        var text = GitHubStepSummary.Render(new StepSummaryBuilder().WithTarget("Stop", StepStatus.Succeeded, note: "a|b\nc <script>").Build());
        Assert.Contains("| Stop | ✅ succeeded | 0:04.0 | a\\|b<br>c &lt;script&gt; |\n", text);
    }

    [Fact]
    public void No_form_of_a_registered_key_reaches_the_summary_from_a_note_an_error_or_a_section()
    {
        var canary = NewFernetLikeKey();
        var password = "pa|ss<word>" + Guid.NewGuid().ToString("N")[..8];
        SecretRedactor.Register(canary);
        SecretRedactor.Register(password);
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(canary));

        var text = GitHubStepSummary.Render(new StepSummaryBuilder()
            .WithTarget("Rotate", StepStatus.Failed, note: $"wrote {canary} and {base64}", error: new InvalidOperationException($"bad key {canary} / {Uri.EscapeDataString(canary)} / {password}").Message)
            .WithTarget("Snapshot", StepStatus.Succeeded, note: $"login with {password}")
            .WithOutcome($"Failed near {canary}")
            .WithSection(new StepSummarySection($"Keys {canary}", $"old: {canary}\n"))
            .WithSection(StepSummarySection.Links("Issues", [($"about {canary}", $"https://github.example/?q={Uri.EscapeDataString(canary)}")]))
            .Build());

        Canary.AssertAbsent(text, [canary, password], "the job summary");
        Assert.DoesNotContain("pa\\|ss", text);
        Assert.DoesNotContain("pa|ss&lt;word", text);
        Assert.Contains("***", text);
    }

    [Fact]
    public void The_build_environment_names_the_summary_file()
    {
        using var dir = new TempDir();
        var file = dir.Combine("summary.md");
        Assert.False(GitHubStepSummary.TryAppend(new StepSummaryBuilder().Build(), new Dictionary<string, string>()));
        Assert.False(File.Exists(file));
        Assert.True(GitHubStepSummary.TryAppend(new StepSummaryBuilder().Build(), new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = file }));
        Assert.Contains("```mermaid", File.ReadAllText(file));
    }

    [Fact]
    public void Appending_keeps_what_earlier_steps_wrote()
    {
        using var dir = new TempDir();
        var file = dir.Combine("step_summary.md");
        File.WriteAllText(file, "# Earlier step\n");
        GitHubStepSummary.Append(file, new StepSummaryBuilder().Build());
        GitHubStepSummary.Append(file, new StepSummaryBuilder().WithOutcome("Second").Build());
        var text = File.ReadAllText(file);
        Assert.StartsWith("# Earlier step\n\n## ✅ Rotate --env staging\n", text);
        Assert.Contains("**Outcome:** Second", text);
        Assert.Equal(2, text.Split("```mermaid").Length - 1);
    }

    [Fact]
    public void The_file_named_by_GITHUB_STEP_SUMMARY_is_appended_and_nothing_is_written_without_it()
    {
        using var dir = new TempDir();
        var file = dir.Combine("summary.md");
        var before = Environment.GetEnvironmentVariable(GitHubStepSummary.FileVariable);
        try
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.FileVariable, null);
            Assert.False(GitHubStepSummary.TryAppend(new StepSummaryBuilder().Build()));
            Environment.SetEnvironmentVariable(GitHubStepSummary.FileVariable, file);
            Assert.True(GitHubStepSummary.TryAppend(new StepSummaryBuilder().Build()));
            Assert.Contains("| Target | Status | Duration | Note |", File.ReadAllText(file));
        }
        finally
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.FileVariable, before);
        }
    }
}
