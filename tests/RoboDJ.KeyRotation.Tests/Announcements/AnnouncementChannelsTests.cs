using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Tests.GitHub;

namespace RoboDJ.KeyRotation.Tests.Announcements;

public sealed class AnnouncementChannelsTests : FakeChannelsTest
{
    AnnouncementChannels Channels()
    {
        var options = github.Options() with { WebhookUrl = webhook.Url };
        return AnnouncementChannels.Configure(options, github.Client(options), http,
            new WebhookOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) }, log.Logger);
    }

    [Fact]
    public void Configure_sets_up_log_GitHub_issue_and_webhook_channels_in_that_order()
    {
        Assert.Equal(["log", "github-issue", "webhook"], Channels().Channels.Select(c => c.Channel));
        Assert.Equal(["log"], AnnouncementChannels.Configure(null, null, null).Channels.Select(c => c.Channel));
    }

    [Fact]
    public async Task Every_channel_runs_and_reports_what_it_did_with_the_issue_link()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12));
        webhook.Answers(200);

        var report = await Channels().AnnounceAsync(new NoticeBuilder().Build(), Ct);

        Assert.True(report.AllSucceeded);
        Assert.Equal(["log: logged the window notice", "github-issue: opened issue #12", $"webhook: posted to 127.0.0.1:{webhook.Url.Port}"],
            report.Channels.Select(c => c.ToString()));
        Assert.Equal([("github-issue", new Uri("https://github.example/acme/robodj/issues/12"))], report.Links);
    }

    [Fact]
    public async Task A_failing_channel_does_not_stop_the_others_and_is_reported_with_its_error()
    {
        github.OnError("POST", "issues", 401, "Bad credentials");
        webhook.Answers(200);

        var report = await Channels().AnnounceAsync(new NoticeBuilder().Build(), Ct);

        Assert.False(report.AllSucceeded);
        var failure = Assert.Single(report.Failures);
        Assert.Equal("github-issue", failure.Channel);
        Assert.IsType<GitHubAccessException>(failure.Error);
        Assert.Contains("401 Unauthorized", failure.Detail);
        Assert.Single(webhook.Bodies);
    }

    [Fact]
    public async Task With_failures_fatal_a_failed_announcement_throws_naming_the_channel_and_the_fix()
    {
        github.OnError("POST", "issues", 403, "Resource not accessible by integration");
        webhook.Answers(200);
        var report = await Channels().AnnounceAsync(new NoticeBuilder().For("production").Build(), Ct);

        var error = Assert.Throws<AnnouncementFailedException>(() => report.Enforce(AnnouncementPolicies.ForEnvironment("production")));

        Assert.StartsWith("announce: 1 announcement channel(s) failed, and this environment may not rotate unannounced: github-issue: FAILED: GitHub: could not open the announcement issue", error.Message);
        Assert.Contains("`issues: write`", error.Message);
    }

    [Fact]
    public async Task With_failures_as_warnings_a_failed_announcement_is_logged_and_the_report_returned()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12));
        webhook.Answers(500);
        var report = await Channels().AnnounceAsync(new NoticeBuilder().Build(), Ct);

        var same = report.Enforce(AnnouncementPolicies.ForEnvironment("staging"), log.Logger);

        Assert.Same(report, same);
        Assert.Contains(log.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning && e.RenderMessage().Contains("Announcement channel \"webhook\" failed at \"announce\""));
    }

    [Fact]
    public async Task The_outcome_goes_to_every_channel_and_closes_the_issue_on_success()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12))
              .On("POST", "issues/12/comments", 201, FakeGitHub.Comment(12, 3))
              .On("PATCH", "issues/12", 200, FakeGitHub.Issue(12));
        webhook.Answers(200);
        var channels = Channels();
        await channels.AnnounceAsync(new NoticeBuilder().Build(), Ct);

        var report = await channels.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.Succeeded, "staging", "Verify passed"), Ct);

        Assert.True(report.AllSucceeded);
        Assert.Equal("outcome", report.Step);
        Assert.Equal("PATCH /api/v3/repos/acme/robodj/issues/12", github.Writes.Last().ToString());
        Assert.Equal(2, webhook.Bodies.Count);
    }

    [Fact]
    public void The_policy_is_fatal_for_production_only()
    {
        Assert.Equal(AnnouncementPolicy.FailuresAreFatal, AnnouncementPolicies.ForEnvironment("production"));
        Assert.Equal(AnnouncementPolicy.FailuresAreWarnings, AnnouncementPolicies.ForEnvironment("staging"));
    }
}
