using System.Globalization;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>The facts of one run that the job summary shows: fingerprints only, never a key.</summary>
public sealed record RotationSummaryFacts(
    Fingerprint? OldPrimary, Fingerprint? OldSecondary, Fingerprint? NewPrimary, CensusReport? CensusBefore,
    AnnouncementReport? Announcement, AnnouncementReport? Incident)
{
    public static RotationSummaryFacts Of(KeyRotationWorkflow workflow) => new(workflow.OldPrimary, workflow.OldSecondary,
        workflow.NewPrimary, workflow.CensusBefore, workflow.Announcement, workflow.Incident);
}

/// <summary>The job summary's sections after the target table: the keys before and after, the census, the issues.</summary>
public static class RotationSummarySections
{
    public static IEnumerable<StepSummarySection> For(RotationSummaryFacts facts)
    {
        static string Show(object? fingerprint) => fingerprint is null ? "(none)" : $"`{fingerprint}`";
        if (facts.OldPrimary is not null)
            yield return StepSummarySection.Table("Keys", ["Slot", "Before", "After"],
            [
                [$"V1 ({KeySlots.PrimaryName})", Show(facts.OldPrimary), Show(facts.NewPrimary ?? facts.OldPrimary)],
                [$"V2 ({KeySlots.SecondaryName})", Show(facts.OldSecondary), Show(facts.NewPrimary is null ? facts.OldSecondary : facts.OldPrimary)],
            ]);
        if (facts.CensusBefore is { } census)
            yield return StepSummarySection.Table("Census before the rotation", ["Key", "Fields"],
                census.CountsByKey.Select((kv, i) => (IReadOnlyList<string>)[$"{Show(kv.Key)} (V{i + 1})", kv.Value.ToString(CultureInfo.InvariantCulture)])
                    .Append(["undecryptable", census.Undecryptable.Count.ToString(CultureInfo.InvariantCulture)]));
        // The outcome comment comes after the summary (OnBuildFinished), so the links are the issues themselves.
        var links = new[] { ("Announcement", facts.Announcement), ("Incident", facts.Incident) }
            .Where(r => r.Item2 is not null)
            .SelectMany(r => r.Item2!.Links.Select(l => ($"{r.Item1} ({l.Channel})", l.Link.AbsoluteUri)))
            .ToList();
        if (links.Count > 0) yield return StepSummarySection.Links("Issues", links);
    }
}
