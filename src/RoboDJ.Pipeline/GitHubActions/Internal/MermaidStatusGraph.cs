using System.Text;

namespace RoboDJ.Pipeline.CI.GitHubActions.Internal;

/// <summary>
/// The plan as a Mermaid flowchart whose nodes are coloured by status. Node ids are positional (t0, t1, ...) so that any
/// target name is safe; the label carries the name and the status in words, for readers who cannot tell the colours apart.
/// </summary>
internal static class MermaidStatusGraph
{
    static readonly (StepStatus Status, string Class, string Style)[] Classes =
    [
        (StepStatus.Succeeded, "succeeded", "fill:#dafbe1,stroke:#1a7f37,color:#1f2328"),
        (StepStatus.Failed, "failed", "fill:#ffebe9,stroke:#cf222e,color:#1f2328"),
        (StepStatus.Skipped, "skipped", "fill:#fff8c5,stroke:#9a6700,color:#1f2328"),
        (StepStatus.NotRun, "notrun", "fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3"),
        (StepStatus.Aborted, "aborted", "fill:#fff1e5,stroke:#bc4c00,color:#1f2328"),
    ];

    public static string ClassOf(StepStatus status) => Classes.First(c => c.Status == status).Class;

    public static string Render(IReadOnlyList<StepSummaryTarget> targets, IReadOnlyList<PlanEdge> edges, Func<string?, string> redact)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var sb = new StringBuilder("```mermaid\nflowchart LR\n");
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            ids.TryAdd(t.Name, $"t{i}");
            sb.Append($"  t{i}[\"{Label(redact(t.Name))}<br/>{Label(StatusWords(t.Status))}\"]:::{ClassOf(t.Status)}\n");
        }
        foreach (var edge in edges)
        {
            if (!ids.TryGetValue(edge.From, out var from) || !ids.TryGetValue(edge.To, out var to)) continue;
            sb.Append(edge.Kind switch
            {
                PlanEdgeKind.Triggers => $"  {from} -.->|triggers| {to}\n",
                PlanEdgeKind.After => $"  {from} -.- {to}\n",
                _ => $"  {from} --> {to}\n",
            });
        }
        foreach (var (_, name, style) in Classes) sb.Append($"  classDef {name} {style}\n");
        return sb.Append("```\n").ToString();
    }

    public static string StatusWords(StepStatus status) => status == StepStatus.NotRun ? "not run" : status.ToString().ToLowerInvariant();

    /// <summary>Mermaid reads quotes and angle brackets in a label; entity codes keep them as text.</summary>
    static string Label(string text) =>
        text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;").Replace("\r", " ").Replace("\n", " ");
}
