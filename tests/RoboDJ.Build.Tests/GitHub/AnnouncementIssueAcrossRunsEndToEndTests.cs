using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// A rotation killed after it announced is finished by a later run: Resume or Rollback finds the announcement issue in
/// the journal and comments there, instead of leaving it open or opening another.
/// </summary>
public sealed class AnnouncementIssueAcrossRunsEndToEndTests
{
    [Theory]
    [InlineData("Resume")]
    [InlineData("Rollback")]
    public async Task A_later_run_comments_the_outcome_on_the_issue_the_killed_run_opened(string recovery)
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log", "github");
        string[] Args(string target) => [target, "--env", "sandbox", "--deployment-root", site.Root];
        var announcement = FakeGitHub.FirstIssue;

        // Killed right after the journal's Stop "ended" line (Begin, Snapshot start/end, Stop start/end).
        var crashed = await build.RunAsync(Args("Rotate"),
            run.Environment(site, ("ROBODJ_TEST_HOOKS", "1"), ("ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP", "5")));
        Assert.True(crashed.ExitCode is 137 or -1 or 9, crashed.ToString());
        Assert.Equal([$"POST {FakeGitHub.ApiPath("issues")}"], gitHub.Requests.Select(r => r.ToString()));
        Assert.Equal(announcement.ToString(), RotationJournal.FindUnfinished(site.Paths.KeyRotation)!.Fact(KeyRotationWorkflow.AnnouncementIssueFact));

        var recovered = await build.RunAsync(Args(recovery), run.Environment(site));

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        var later = gitHub.Requests.Skip(1).Select(r => r.ToString()).ToList();
        if (recovery == "Resume")
        {
            Assert.Equal([$"POST {FakeGitHub.ApiPath($"issues/{announcement}/comments")}", $"PATCH {FakeGitHub.ApiPath($"issues/{announcement}")}"], later);
            Assert.Contains("**Outcome: succeeded.**", gitHub.Requests[1].Json["body"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal([$"POST {FakeGitHub.ApiPath("issues")}", $"POST {FakeGitHub.ApiPath($"issues/{announcement}/comments")}"], later);
            Assert.Equal(["incident"], gitHub.Requests[1].Json["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
            var comment = gitHub.Requests[2].Json["body"]!.GetValue<string>();
            Assert.Contains("**Outcome: failed, rolled back cleanly.**", comment);
            Assert.Contains(FakeGitHub.IssueUrl(announcement + 1), comment);
        }
    }
}
