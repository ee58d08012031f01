using RoboDJ.KeyRotation.Announcements;

namespace RoboDJ.KeyRotation.Tests.Announcements;

public sealed class AnnouncementTextTests
{
    [Fact]
    public void The_title_names_the_env_and_the_window_in_UTC_with_an_en_dash()
    {
        var notice = new NoticeBuilder().For("production")
            .From(new DateTimeOffset(2026, 3, 14, 15, 30, 0, TimeSpan.FromHours(1)), TimeSpan.FromMinutes(10)).Build();

        Assert.Equal("Key rotation: production, 14:30\u201314:40 UTC", AnnouncementText.Title(notice));
    }

    [Fact]
    public void The_markdown_names_env_window_operator_old_fingerprints_and_broadcasts()
    {
        var builder = new NoticeBuilder().WithBroadcast("Morning Show 14:02").WithBroadcast("News | top of the hour");

        var text = AnnouncementText.Markdown(builder.Build());

        Assert.Contains("| Environment | staging |", text);
        Assert.Contains("| Window | 2026-03-14 14:00\u201314:05 UTC |", text);
        Assert.Contains("| Operator | alice |", text);
        Assert.Contains($"| Current V1 (ROBODJ_SECRET_KEY) | `{builder.OldPrimary.Fingerprint}` (becomes V2) |", text);
        Assert.Contains($"| Current V2 (ROBODJ_SECRET_V2_KEY) | `{builder.OldSecondary.Fingerprint}` (retired) |", text);
        Assert.Contains("**2 broadcast(s) scheduled inside the window**", text);
        Assert.Contains("- Morning Show 14:02\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("- News | top of the hour", text);
    }

    [Fact]
    public void The_markdown_says_so_when_no_broadcast_is_in_the_window()
    {
        Assert.Contains("No broadcasts are scheduled inside the window.", AnnouncementText.Markdown(new NoticeBuilder().Build()));
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused()
    {
        var start = DateTimeOffset.UtcNow;
        Assert.Throws<ArgumentException>(() => new RotationWindow(start, start.AddMinutes(-1)));
    }

    [Fact]
    public void A_secret_smuggled_into_a_broadcast_name_is_redacted()
    {
        var builder = new NoticeBuilder();
        builder.WithBroadcast($"show {builder.OldPrimary.Text}");

        var notice = builder.Build();

        RoboDJ.Testing.Canary.AssertAbsent(AnnouncementText.Markdown(notice) + AnnouncementText.Plain(notice), [builder.OldPrimary.Text], "the notice texts");
    }
}
