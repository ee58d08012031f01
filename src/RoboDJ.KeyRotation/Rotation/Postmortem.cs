using System.Globalization;
using System.Reflection;
using System.Text;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline;

using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>What a postmortem says about one failed rotation. Fingerprints and redacted text only.</summary>
public sealed record PostmortemFacts(
    string FailedTarget,
    string Error,
    string Outcome,
    IReadOnlyList<string> RestoredFiles,
    string? RestoredPrimary,
    string? RestoredSecondary);

/// <summary>
/// Runbook §5 "Log incident in the postmortem template": fills the template embedded from
/// Rotation/postmortem-template.md and writes it to config/incidents/&lt;date&gt;-&lt;rotation-id&gt;.md.
/// </summary>
public static class Postmortem
{
    const string ResourceName = "RoboDJ.KeyRotation.Rotation.postmortem-template.md";

    public static string Template()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string PathFor(DeploymentPaths paths, RotationId id, DateTimeOffset date) =>
        Path.Combine(paths.Incidents, $"{date.UtcDateTime:yyyy-MM-dd}-{id}.md");

    public static string Render(RotationJournal journal, PostmortemFacts facts, DateTimeOffset now)
    {
        var values = new Dictionary<string, string>
        {
            ["rotation_id"] = journal.Id.Value,
            ["env"] = journal.Env,
            ["date"] = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["actor"] = journal.Actor,
            ["failed_target"] = facts.FailedTarget,
            ["outcome"] = facts.Outcome,
            ["error"] = facts.Error,
            ["old_v1"] = journal.Fact(JournalFacts.OldPrimary) ?? "unknown",
            ["old_v2"] = journal.Fact(JournalFacts.OldSecondary) ?? "unknown",
            ["new_v1"] = journal.Fact(JournalFacts.NewPrimary) ?? "none (the keys were not shifted)",
            ["restored_v1"] = facts.RestoredPrimary ?? "not restored",
            ["restored_v2"] = facts.RestoredSecondary ?? "not restored",
            ["snapshot"] = journal.Fact(JournalFacts.Snapshot) ?? "none",
            ["restored_files"] = facts.RestoredFiles.Count == 0 ? "Nothing was restored." : string.Join("\n", facts.RestoredFiles.Select(f => $"- `{f}`")),
            ["timeline"] = Timeline(journal),
        };
        var text = Template();
        foreach (var (name, value) in values) text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        return SecretRedactor.Redact(text);
    }

    /// <summary>Writes the postmortem atomically and returns its path.</summary>
    public static string Write(DeploymentPaths paths, RotationJournal journal, PostmortemFacts facts, DateTimeOffset now)
    {
        var path = PathFor(paths, journal.Id, now);
        Directory.CreateDirectory(paths.Incidents);
        AtomicFile.WriteAllText(path, Render(journal, facts, now), FileModes.Private);
        return path;
    }

    static string Timeline(RotationJournal journal) => string.Join("\n", journal.Entries.Select(e =>
        $"| {e.At.UtcDateTime:HH:mm:ss.fff} | {e.Step} | {e.Phase} | " +
        string.Join(", ", (e.Facts ?? new Dictionary<string, string>()).Select(f => $"{f.Key}={Cell(f.Value)}")) + " |"));

    static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
