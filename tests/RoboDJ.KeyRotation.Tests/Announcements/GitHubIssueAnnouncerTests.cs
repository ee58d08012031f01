using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Tests.GitHub;

namespace RoboDJ.KeyRotation.Tests.Announcements;

public sealed class GitHubIssueAnnouncerTests : IDisposable
{
    readonly FakeGitHub github = new();

    public void Dispose() => github.Dispose();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    GitHubIssueAnnouncer Announcer(long? trackingIssue = null) => new(github.Client(github.Options(trackingIssue)), github.Options(trackingIssue));

    [Fact]
    public async Task Announce_opens_an_issue_with_the_window_title_labels_and_notice()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12));
        var notice = new NoticeBuilder().WithBroadcast("Morning Show").Build();
        var announcer = Announcer();

        var delivery = await announcer.AnnounceAsync(notice, Ct);

        var request = Assert.Single(github.Requests);
        Assert.Equal("POST /api/v3/repos/acme/robodj/issues", request.ToString());
        Assert.Equal("Key rotation: staging, 14:00\u201314:05 UTC", (string?)request.Json["title"]);
        Assert.Equal(["key-rotation", "ops"], request.Json["labels"]!.AsArray().Select(l => (string?)l));
        Assert.Equal(AnnouncementText.Markdown(notice), (string?)request.Json["body"]);
        Assert.Equal(12, announcer.IssueNumber);
        Assert.Equal("opened issue #12", delivery.Detail);
        Assert.Equal(new Uri("https://github.example/acme/robodj/issues/12"), delivery.Link);
    }

    [Fact]
    public async Task Announce_with_a_tracking_issue_comments_on_it_instead_of_opening_one()
    {
        github.On("POST", "issues/7/comments", 201, FakeGitHub.Comment(7, 501));
        var notice = new NoticeBuilder().Build();

        var delivery = await Announcer(trackingIssue: 7).AnnounceAsync(notice, Ct);

        var request = Assert.Single(github.Requests);
        Assert.Equal("POST /api/v3/repos/acme/robodj/issues/7/comments", request.ToString());
        Assert.StartsWith("### Key rotation: staging, 14:00\u201314:05 UTC", (string?)request.Json["body"]);
        Assert.Equal("commented on tracking issue #7", delivery.Detail);
        Assert.Equal(new Uri("https://github.example/acme/robodj/issues/7#issuecomment-501"), delivery.Link);
    }

    [Fact]
    public async Task A_successful_outcome_is_commented_and_the_announcement_issue_closed()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12))
              .On("POST", "issues/12/comments", 201, FakeGitHub.Comment(12, 900))
              .On("PATCH", "issues/12", 200, FakeGitHub.Issue(12));
        var announcer = Announcer();
        await announcer.AnnounceAsync(new NoticeBuilder().Build(), Ct);
        var newKey = RoboDJ.KeyRotation.Secrets.FernetKey.Generate();

        var delivery = await announcer.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.Succeeded, "staging", "Verify passed", newKey.Fingerprint), Ct);

        var writes = github.Writes.Skip(1).ToList();
        Assert.Equal(["POST /api/v3/repos/acme/robodj/issues/12/comments", "PATCH /api/v3/repos/acme/robodj/issues/12"], writes.Select(w => w.ToString()));
        Assert.StartsWith("**Outcome: succeeded.** Verify passed", (string?)writes[0].Json["body"]);
        Assert.Contains($"V1 `{newKey.Fingerprint}`", (string?)writes[0].Json["body"]);
        Assert.Equal("closed", (string?)writes[1].Json["state"]);
        Assert.Equal("commented the outcome on #12 and closed it", delivery.Detail);
    }

    [Fact]
    public async Task A_rolled_back_outcome_is_commented_and_the_issue_left_open()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(12))
              .On("POST", "issues/12/comments", 201, FakeGitHub.Comment(12, 900));
        var announcer = Announcer();
        await announcer.AnnounceAsync(new NoticeBuilder().Build(), Ct);

        await announcer.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.RolledBack, "staging", "Start failed: web unhealthy"), Ct);

        Assert.Equal(["POST /api/v3/repos/acme/robodj/issues", "POST /api/v3/repos/acme/robodj/issues/12/comments"], github.Writes.Select(w => w.ToString()));
        Assert.StartsWith("**Outcome: failed, rolled back cleanly.** Start failed: web unhealthy", (string?)github.Writes.Last().Json["body"]);
    }

    [Fact]
    public async Task A_tracking_issue_is_never_closed_even_on_success()
    {
        github.On("POST", "issues/7/comments", 201, FakeGitHub.Comment(7, 501));
        var announcer = Announcer(trackingIssue: 7);
        await announcer.AnnounceAsync(new NoticeBuilder().Build(), Ct);

        await announcer.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.Succeeded, "staging", "Verify passed"), Ct);

        Assert.Equal(["POST /api/v3/repos/acme/robodj/issues/7/comments", "POST /api/v3/repos/acme/robodj/issues/7/comments"], github.Writes.Select(w => w.ToString()));
    }

    [Fact]
    public async Task A_resumed_run_reports_on_the_issue_the_first_run_opened()
    {
        github.On("POST", "issues/31/comments", 201, FakeGitHub.Comment(31, 1))
              .On("PATCH", "issues/31", 200, FakeGitHub.Issue(31));
        var announcer = Announcer();
        announcer.ContinueWith(31);

        await announcer.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.Succeeded, "staging", "Verify passed"), Ct);

        Assert.Equal(["POST /api/v3/repos/acme/robodj/issues/31/comments", "PATCH /api/v3/repos/acme/robodj/issues/31"], github.Writes.Select(w => w.ToString()));
    }

    [Fact]
    public async Task An_outcome_without_an_announcement_is_skipped_without_calling_GitHub()
    {
        var delivery = await Announcer().ReportOutcomeAsync(new RotationOutcome(OutcomeKind.Failed, "staging", "Preflight failed"), Ct);

        Assert.True(delivery.Skipped);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task An_incident_is_an_issue_labelled_incident_with_the_postmortem_as_body()
    {
        github.On("POST", "issues", 201, FakeGitHub.Issue(40));
        const string postmortem = "# Postmortem: staging 20260314T1400-abc123\n\n## Timeline\n\n| time | step |\n|---|---|\n| 14:01 | Start failed |\n";

        var delivery = await Announcer().OpenIncidentAsync("Key rotation of staging rolled back", postmortem, Ct);

        var request = Assert.Single(github.Requests);
        Assert.Equal("POST /api/v3/repos/acme/robodj/issues", request.ToString());
        Assert.Equal("Key rotation of staging rolled back", (string?)request.Json["title"]);
        Assert.Equal(postmortem, (string?)request.Json["body"]);
        Assert.Equal(["incident"], request.Json["labels"]!.AsArray().Select(l => (string?)l));
        Assert.Equal("opened incident issue #40", delivery.Detail);
        Assert.Equal(new Uri("https://github.example/acme/robodj/issues/40"), delivery.Link);
    }
}
