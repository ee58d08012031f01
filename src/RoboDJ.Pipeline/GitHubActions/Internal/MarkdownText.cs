using System.Text;

namespace RoboDJ.Pipeline.CI.GitHubActions.Internal;

/// <summary>Escapes text for GitHub-flavoured Markdown so that a note or error message cannot break the table or inject HTML.</summary>
internal static class MarkdownText
{
    public static string Cell(string? text) =>
        Html(text ?? "").Replace("|", "\\|").Replace("\r\n", "<br>").Replace("\n", "<br>").Replace("\r", "<br>");

    public static string Html(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Line(string? text) => Html(text ?? "").Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    public static string LinkText(string text) => Line(text).Replace("[", "\\[").Replace("]", "\\]");

    public static string LinkUrl(string url) => url.Replace(" ", "%20").Replace("(", "%28").Replace(")", "%29");

    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", headers.Select(Cell)).Append(" |\n");
        sb.Append('|').Append(string.Concat(headers.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows)
            sb.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        return sb.ToString();
    }
}
