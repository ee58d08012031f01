using System.Text;
using RoboDJ.Pipeline.CI.GitHubActions.Internal;

namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// The job summary GitHub shows on a run's page: the outcome, the table, the plan coloured by status and the caller's
/// sections. Every piece of text passes through <see cref="SecretRedactor"/> before and after it is escaped, so a secret
/// cannot slip through by being split by an escape.
/// </summary>
public static class GitHubStepSummary
{
    public const string FileVariable = "GITHUB_STEP_SUMMARY";

    public static string Render(StepSummaryReport report)
    {
        string R(string? text) => SecretRedactor.Redact(text);
        var sb = new StringBuilder();
        sb.Append($"## {(report.Succeeded ? "✅" : "❌")} {MarkdownText.Line(R(report.Title))}\n\n");
        sb.Append($"**Outcome:** {MarkdownText.Line(R(report.Outcome))}");
        if (report.IsDryRun) sb.Append(" (dry run: nothing was changed)");
        sb.Append("\n\n");
        sb.Append(MarkdownText.Table(
            ["Target", "Status", "Duration", "Note"],
            report.Targets.Select(t => (IReadOnlyList<string>)[R(t.Name), $"{Icon(t.Status)} {MermaidStatusGraph.StatusWords(t.Status)}", Duration(t.Duration), R(t.Note)])));
        sb.Append('\n');
        sb.Append(MermaidStatusGraph.Render(report.Targets, report.Edges, R));
        var errors = report.Targets.Where(t => !string.IsNullOrWhiteSpace(t.Error)).ToList();
        if (errors.Count > 0)
        {
            sb.Append("\n### Errors\n\n");
            foreach (var t in errors) sb.Append($"- **{MarkdownText.Line(R(t.Name))}**: {MarkdownText.Line(R(t.Error))}\n");
        }
        foreach (var section in report.Sections)
            sb.Append($"\n### {MarkdownText.Line(R(section.Title))}\n\n{R(section.Markdown).TrimEnd('\n')}\n");
        return R(sb.ToString());
    }

    /// <summary>Appends to the file GitHub names in GITHUB_STEP_SUMMARY; false (and nothing written) outside Actions.</summary>
    public static bool TryAppend(StepSummaryReport report) => TryAppend(report, Environment.GetEnvironmentVariable(FileVariable));

    /// <summary>As <see cref="TryAppend(StepSummaryReport)"/>, reading the build's own environment (the engine's, or a test's).</summary>
    public static bool TryAppend(StepSummaryReport report, IDictionary<string, string> environment) =>
        TryAppend(report, environment.TryGetValue(FileVariable, out var path) ? path : null);

    static bool TryAppend(StepSummaryReport report, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return false;
        Append(path, report);
        return true;
    }

    /// <summary>Appends, never overwrites: earlier steps of the job write to the same file.</summary>
    public static void Append(string path, StepSummaryReport report)
    {
        var text = Render(report);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (stream.Position > 0) text = "\n" + text;
        stream.Write(new UTF8Encoding(false).GetBytes(text));
    }

    static string Icon(StepStatus status) => status switch
    {
        StepStatus.Succeeded => "✅",
        StepStatus.Failed => "❌",
        StepStatus.Skipped => "⏭️",
        StepStatus.Aborted => "⛔",
        _ => "⚪",
    };

    static string Duration(TimeSpan d) =>
        d.TotalHours >= 1 ? d.ToString(@"h\:mm\:ss") : d.ToString(@"m\:ss\.f");
}
