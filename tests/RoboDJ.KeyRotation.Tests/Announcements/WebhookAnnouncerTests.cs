using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Tests.GitHub;

namespace RoboDJ.KeyRotation.Tests.Announcements;

public sealed class WebhookAnnouncerTests : IDisposable
{
    readonly FakeWebhook webhook = new();
    readonly HttpClient http = new();
    readonly CapturedLog log = new();

    public void Dispose()
    {
        http.Dispose();
        webhook.Dispose();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    WebhookAnnouncer Announcer(int maxAttempts = 3, TimeSpan? attemptTimeout = null) => new(http, webhook.Url,
        new WebhookOptions { MaxAttempts = maxAttempts, InitialBackoff = TimeSpan.FromMilliseconds(20), AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30) },
        logger: log.Logger);

    [Fact]
    public async Task The_notice_is_posted_as_Slack_compatible_text_json()
    {
        webhook.Answers(200);
        var notice = new NoticeBuilder().WithBroadcast("Morning Show").Build();

        var delivery = await Announcer().AnnounceAsync(notice, Ct);

        var body = JsonNode.Parse(Assert.Single(webhook.Bodies))!.AsObject();
        Assert.Equal(["text"], body.Select(p => p.Key));
        Assert.Equal(AnnouncementText.Plain(notice), (string?)body["text"]);
        Assert.StartsWith("Key rotation: staging, 14:00\u201314:05 UTC (2026-03-14), run by alice.", (string?)body["text"]);
        Assert.Contains("Broadcasts in the window: Morning Show.", (string?)body["text"]);
        Assert.Equal($"posted to 127.0.0.1:{webhook.Url.Port}", delivery.Detail);
    }

    [Fact]
    public async Task A_500_is_retried_and_the_second_attempt_delivers()
    {
        webhook.Answers(500, 200);

        var delivery = await Announcer().AnnounceAsync(new NoticeBuilder().Build(), Ct);

        Assert.Equal(2, webhook.Bodies.Count);
        Assert.Equal(webhook.Bodies[0], webhook.Bodies[1]);
        Assert.Equal($"posted to 127.0.0.1:{webhook.Url.Port} after 2 attempts", delivery.Detail);
        Assert.Contains("attempt 1 failed (\"500 Internal Server Error\")", log.Text);
    }

    [Fact]
    public async Task It_gives_up_after_the_configured_attempts_of_5xx()
    {
        webhook.Answers(503);

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => Announcer(maxAttempts: 4).AnnounceAsync(new NoticeBuilder().Build(), Ct));

        Assert.Equal(4, webhook.Bodies.Count);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(503, error.LastStatus);
        Assert.Contains("gave up after 4 attempts; the last one: 503 Service Unavailable", error.Message);
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        webhook.Answers(404, 200);

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => Announcer().AnnounceAsync(new NoticeBuilder().Build(), Ct));

        Assert.Single(webhook.Bodies);
        Assert.Equal(404, error.LastStatus);
        Assert.Contains("refused the message: 404 Not Found. Not retried", error.Message);
    }

    [Fact]
    public async Task A_slow_answer_counts_as_a_failed_attempt_and_is_retried()
    {
        webhook.Answers((200, TimeSpan.FromSeconds(3)), (200, TimeSpan.Zero));

        var delivery = await Announcer(attemptTimeout: TimeSpan.FromMilliseconds(300)).AnnounceAsync(new NoticeBuilder().Build(), Ct);

        Assert.Equal(2, webhook.Bodies.Count);
        Assert.EndsWith("after 2 attempts", delivery.Detail);
        Assert.Contains("no answer within 0.3 s", log.Text);
    }

    [Fact]
    public async Task Errors_and_logs_name_the_host_but_never_the_webhook_path_that_holds_its_token()
    {
        webhook.Answers(500);

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => Announcer(maxAttempts: 2).AnnounceAsync(new NoticeBuilder().Build(), Ct));

        Assert.Contains($"webhook at 127.0.0.1:{webhook.Url.Port}", error.Message);
        Assert.DoesNotContain("canaryWebhookToken", error.ToString());
        Assert.DoesNotContain("canaryWebhookToken", log.Text);
    }

    [Fact]
    public async Task The_outcome_and_the_incident_headline_are_posted_too()
    {
        webhook.Answers(200);
        var announcer = Announcer();

        await announcer.ReportOutcomeAsync(new RotationOutcome(OutcomeKind.RolledBack, "staging", "Start failed"), Ct);
        await announcer.OpenIncidentAsync("Key rotation of staging rolled back", "# long postmortem", Ct);

        Assert.Equal(
            ["Key rotation of staging: failed, rolled back cleanly. Start failed", "Incident: Key rotation of staging rolled back"],
            webhook.Bodies.Select(b => (string?)JsonNode.Parse(b)!["text"]));
    }
}
