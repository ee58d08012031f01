using System.Globalization;
using System.Reflection;
using System.Text;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline.IO;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>What a postmortem says about one failed rotation. Fingerprints and redacted text only.</summary>
public sealed record PostmortemFacts(
    string FailedTarget,
    string Error,
    string Outcome,
    IReadOnlyList<string> RestoredFiles,
    string? RestoredPrimary,
    string? RestoredSecondary)
{
    /// <summary>Files the restore could not put back, each with the reason: they are left as the rotation made them.</summary>
    public IReadOnlyList<RestoreFailure> FailedFiles { get; init; } = [];

    /// <summary>Why the restore never ran (e.g. the rollback failed at Stop); null when it ran.</summary>
    public string? NotRestoredBecause { get; init; }
}

/// <summary>
/// Runbook §5 "Log incident in the postmortem template": fills the template embedded from
/// Rotation/postmortem-template.md and writes it to config/incidents/&lt;date&gt;-&lt;rotation-id&gt;.md. A postmortem is
/// never overwritten: a second rollback of the same rotation writes &lt;date&gt;-&lt;rotation-id&gt;-2.md, and so on.
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
            ["restored_files"] = RestoredSection(facts),
            ["timeline"] = Timeline(journal),
        };
        var text = Template();
        foreach (var (name, value) in values) text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        return SecretRedactor.Redact(text);
    }

    /// <summary>Writes the postmortem atomically under the first free name (never over an earlier one) and returns its path.</summary>
    public static string Write(DeploymentPaths paths, RotationJournal journal, PostmortemFacts facts, DateTimeOffset now)
    {
        var first = PathFor(paths, journal.Id, now);
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"write the postmortem {first}");
        var content = Encoding.UTF8.GetBytes(Render(journal, facts, now));
        Directory.CreateDirectory(paths.Incidents);
        for (var n = 1; ; n++)
        {
            var path = n == 1 ? first : Path.ChangeExtension(first, null) + $"-{n}.md";
            try
            {
                AtomicFile.CreateNew(path, content);
                return path;
            }
            catch (IOException) when (File.Exists(path) && n < 1000) { }
        }
    }

    /// <summary>What was put back and what is left as the rotation made it; "nothing" only when that is the truth.</summary>
    static string RestoredSection(PostmortemFacts facts)
    {
        var lines = new List<string>();
        if (facts.NotRestoredBecause is { } why) lines.Add($"Nothing was restored: {why}.");
        else if (facts.RestoredFiles.Count == 0 && facts.FailedFiles.Count == 0) lines.Add("No file needed restoring.");
        if (facts.RestoredFiles.Count > 0)
        {
            lines.Add($"Restored ({facts.RestoredFiles.Count}):");
            lines.AddRange(facts.RestoredFiles.Select(f => $"- `{f}`"));
        }
        if (facts.FailedFiles.Count > 0)
        {
            if (lines.Count > 0) lines.Add("");
            lines.Add($"NOT restored, left as the rotation made them ({facts.FailedFiles.Count}):");
            lines.AddRange(facts.FailedFiles.Select(f => $"- `{f.Path}`: {Cell(f.Reason)}"));
        }
        return string.Join("\n", lines);
    }

    static string Timeline(RotationJournal journal) => string.Join("\n", journal.Entries.Select(e =>
        $"| {e.At.UtcDateTime:HH:mm:ss.fff} | {e.Step} | {e.Phase} | " +
        string.Join(", ", (e.Facts ?? new Dictionary<string, string>()).Select(f => $"{f.Key}={Cell(f.Value)}")) + " |"));

    static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
