using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Status;
using RoboDJ.KeyRotation.Tests.GitHub;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Status;

/// <summary>The production reminder against the fake GitHub: one issue while V1 is overdue, updated not duplicated, closed after.</summary>
public sealed class RotationReminderTests : IDisposable
{
    readonly FakeGitHub github = new();
    readonly FernetKey v1 = FernetKey.Generate();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => github.Dispose();

    RotationReminder Reminder() => new(github.Client(), github.Options());

    DeploymentStatus Status(int ageDays) => new()
    {
        Env = "production",
        At = new DateTimeOffset(2026, 12, 2, 6, 17, 0, TimeSpan.Zero),
        V1 = new KeyStatus(v1.Fingerprint.ToString(), new DateTimeOffset(2026, 12, 2, 6, 17, 0, TimeSpan.Zero).AddDays(-ageDays), ageDays, "20260901T041500Z-ab12"),
        MaxKeyAgeDays = 90,
        Census = new CensusCounts(4, 4, 0, 0, []),
        SnapshotsKept = ["20260901T041500Z-ab12"],
        App = new AppHealth(true, true, "docker compose project robodj running; latest key check PASS"),
    };

    static JsonArray OpenReminders(params long[] numbers) => new(numbers.Select(n =>
    {
        var issue = FakeGitHub.Issue(n);
        issue["title"] = RotationReminder.Title("production");
        return (JsonNode)issue;
    }).ToArray());

    [Fact]
    public async Task An_overdue_key_with_no_reminder_opens_one_labelled_with_the_dispatch_link_and_no_key()
    {
        github.On("GET", "issues", 200, new JsonArray()).On("POST", "issues", 201, FakeGitHub.Issue(41));

        var note = await Reminder().RemindAsync(Status(120), new LiveEffects(), Ct);

        Assert.Contains("opened reminder issue #41", note);
        var created = Assert.Single(github.Writes);
        Assert.Equal("POST", created.Method);
        Assert.Equal("Key rotation due: production", created.Json["title"]!.GetValue<string>());
        Assert.Contains(RotationReminder.Label, created.Json["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        var body = created.Json["body"]!.GetValue<string>();
        Assert.Contains($"{github.Root.AbsoluteUri.TrimEnd('/')}/acme/robodj/actions/workflows/rotate-keys.yml", body);
        Assert.Contains("120 days old, over the 90-day policy", body);
        Assert.Contains(v1.Fingerprint.ToString(), body);
        Canary.AssertAbsent(string.Join("\n", github.Requests.Select(r => r.Body)), [v1.Text, github.Token], "the requests' bodies");
    }

    [Theory]
    [InlineData(120, new long[0], "would open the reminder issue \"Key rotation due: production\"")]
    [InlineData(120, new long[] { 7 }, "would update reminder issue #7")]
    [InlineData(10, new long[] { 7 }, "would comment on and close reminder issue #7")]
    public async Task A_dry_run_only_records_what_the_reminder_would_do(int ageDays, long[] open, string would)
    {
        github.On("GET", "issues", 200, OpenReminders(open));
        var effects = new DryRunEffects();

        var note = await Reminder().RemindAsync(Status(ageDays), effects, Ct);

        Assert.Equal(would, note);
        Assert.Equal([new PlannedChange("Remind", ChangeKind.GitHub, would)], effects.Recorded);
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task An_overdue_key_with_an_open_reminder_updates_that_one_and_opens_no_other()
    {
        github.On("GET", "issues", 200, OpenReminders(9, 7)).On("PATCH", "issues/7", 200, FakeGitHub.Issue(7));

        var note = await Reminder().RemindAsync(Status(121), new LiveEffects(), Ct);

        Assert.Contains("updated reminder issue #7", note);
        var update = Assert.Single(github.Writes);
        Assert.Equal(("PATCH", FakeGitHub.ApiPath("issues/7")), (update.Method, update.Path));
        Assert.Contains("121 days old", update.Json["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_within_the_policy_closes_the_open_reminder_with_a_comment()
    {
        github.On("GET", "issues", 200, OpenReminders(7))
              .On("POST", "issues/7/comments", 201, FakeGitHub.Comment(7, 70))
              .On("PATCH", "issues/7", 200, FakeGitHub.Issue(7));

        var note = await Reminder().RemindAsync(Status(1), new LiveEffects(), Ct);

        Assert.Contains("closed reminder issue #7", note);
        Assert.Equal(["POST " + FakeGitHub.ApiPath("issues/7/comments"), "PATCH " + FakeGitHub.ApiPath("issues/7")], github.Writes.Select(w => w.ToString()));
        Assert.Equal("closed", github.Writes.Last().Json["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_within_the_policy_and_no_reminder_writes_nothing()
    {
        github.On("GET", "issues", 200, new JsonArray());

        var note = await Reminder().RemindAsync(Status(10), new LiveEffects(), Ct);

        Assert.Contains("no reminder open", note);
        Assert.Empty(github.Writes);
    }
}
