using RoboDJ.Pipeline.CI.GitHubActions.Internal;

namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// A section the caller adds below the graph (fingerprints, census counts, issue links). The Markdown is redacted like
/// everything else in the summary; the factories also escape cell text.
/// </summary>
public sealed record StepSummarySection(string Title, string Markdown)
{
    public static StepSummarySection Table(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        new(title, MarkdownText.Table(headers, rows));

    /// <summary>A bullet list of links, e.g. the announcement and incident issues.</summary>
    public static StepSummarySection Links(string title, IEnumerable<(string Text, string Url)> links) =>
        new(title, string.Concat(links.Select(l => $"- [{MarkdownText.LinkText(l.Text)}]({MarkdownText.LinkUrl(l.Url)})\n")));
}
