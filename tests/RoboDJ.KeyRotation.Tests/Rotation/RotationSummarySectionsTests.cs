using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class RotationSummarySectionsTests
{
    readonly FernetKey v1 = FernetKey.Generate(), v2 = FernetKey.Generate(), next = FernetKey.Generate();

    [Fact]
    public void After_a_rotation_the_keys_table_shows_V1_moved_to_V2_by_fingerprint_only()
    {
        var sections = RotationSummarySections.For(new(v1.Fingerprint, v2.Fingerprint, next.Fingerprint, null, null, null)).ToList();

        var keys = Assert.Single(sections);
        Assert.Equal("Keys", keys.Title);
        Assert.Contains($"| V1 (ROBODJ_SECRET_KEY) | `{v1.Fingerprint}` | `{next.Fingerprint}` |", keys.Markdown);
        Assert.Contains($"| V2 (ROBODJ_SECRET_V2_KEY) | `{v2.Fingerprint}` | `{v1.Fingerprint}` |", keys.Markdown);
        foreach (var key in new[] { v1, v2, next }) Assert.DoesNotContain(key.Text, keys.Markdown);
    }

    [Fact]
    public void Without_a_new_key_the_keys_stay_and_the_census_and_issue_links_follow()
    {
        var census = new CensusReport(new KeyRing(v1, v2), new CensusTally(2), 3);
        var announcement = new AnnouncementReport("announce", [new ChannelResult("github-issue", true, "opened", new Uri("https://github.example/acme/robodj/issues/41"))]);

        var sections = RotationSummarySections.For(new(v1.Fingerprint, null, null, census, announcement, null)).ToList();

        Assert.Equal(["Keys", "Census before the rotation", "Issues"], sections.Select(s => s.Title));
        Assert.Contains($"| V1 (ROBODJ_SECRET_KEY) | `{v1.Fingerprint}` | `{v1.Fingerprint}` |", sections[0].Markdown);
        Assert.Contains("| V2 (ROBODJ_SECRET_V2_KEY) | (none) | (none) |", sections[0].Markdown);
        Assert.Contains($"`{v2.Fingerprint}` (V2) | 0", sections[1].Markdown);
        Assert.Contains("[Announcement (github-issue)](https://github.example/acme/robodj/issues/41)", sections[2].Markdown);
    }

    [Fact]
    public void A_run_that_never_read_the_keys_adds_no_section() =>
        Assert.Empty(RotationSummarySections.For(new(null, null, null, null, null, null)));
}
