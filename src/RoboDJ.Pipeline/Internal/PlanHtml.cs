using System.Net;
using System.Text;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// A self-contained HTML page with the target graph as inline SVG: no script, no CDN. Layout: a target's column is the
/// longest path to it, rows follow declaration order.
/// </summary>
static class PlanHtml
{
    const int NodeWidth = 150, NodeHeight = 36, ColumnGap = 60, RowGap = 22, Margin = 20;

    public static string Render(ExecutionPlan plan)
    {
        var shown = PlanWriter.Shown(plan);
        var edges = PlanWriter.Edges(shown).ToList();
        var column = shown.ToDictionary(t => t, _ => 0);
        // The planner already proved the graph acyclic, so |shown| relaxation rounds reach the longest paths.
        for (var round = 0; round < shown.Count; round++)
            foreach (var (from, to, _) in edges)
                column[to] = Math.Max(column[to], column[from] + 1);
        var position = new Dictionary<ExecutableTarget, (int X, int Y)>();
        foreach (var group in shown.GroupBy(t => column[t]))
        {
            var row = 0;
            foreach (var t in group.OrderBy(t => t.Index))
                position[t] = (Margin + group.Key * (NodeWidth + ColumnGap), Margin + row++ * (NodeHeight + RowGap));
        }
        var width = position.Values.Select(p => p.X).DefaultIfEmpty(0).Max() + NodeWidth + Margin;
        var height = position.Values.Select(p => p.Y).DefaultIfEmpty(0).Max() + NodeHeight + Margin;

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">\n");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
        foreach (var (from, to, kind) in edges)
        {
            var (x1, y1) = (position[from].X + NodeWidth, position[from].Y + NodeHeight / 2);
            var (x2, y2) = (position[to].X, position[to].Y + NodeHeight / 2);
            if (x2 <= x1) (x1, x2) = (position[from].X + NodeWidth / 2, position[to].X + NodeWidth / 2);
            var dash = kind switch { PlanWriter.EdgeKind.Triggers => " stroke-dasharray=\"6 4\"", PlanWriter.EdgeKind.After => " stroke-dasharray=\"2 3\"", _ => "" };
            svg.Append($"<path class=\"edge {kind.ToString().ToLowerInvariant()}\" d=\"M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#555\"{dash} marker-end=\"url(#arrow)\"><title>{kind}</title></path>\n");
        }
        foreach (var t in shown)
        {
            var (x, y) = position[t];
            var state = plan.SkipReasons.ContainsKey(t) ? "skipped" : plan.Contains(t) ? "planned" : "idle";
            var (fill, stroke) = state switch { "planned" => ("#d4edda", "#2e7d32"), "skipped" => ("#eeeeee", "#9e9e9e"), _ => ("#ffffff", "#bbbbbb") };
            var order = plan.Contains(t) ? $"{plan.Ordered.ToList().IndexOf(t) + 1}. " : "";
            var tip = WebUtility.HtmlEncode(t.Description ?? "") + (PlanWriter.Note(plan, t) is { } note ? WebUtility.HtmlEncode($" ({note})") : "");
            // A planned target whose condition is decided when its turn comes (Rollback) may still be skipped.
            var decidedLater = state == "planned" && t.Definition.DynamicConditions.Count > 0 ? " stroke-dasharray=\"5 3\"" : "";
            svg.Append($"<g class=\"target {state}\"><title>{tip}</title><rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\"{decidedLater}/>");
            svg.Append($"<text x=\"{x + NodeWidth / 2}\" y=\"{y + NodeHeight / 2 + 5}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"13\">{WebUtility.HtmlEncode(order + t.Name)}</text></g>\n");
        }
        svg.Append("</svg>");

        var list = string.Join("", plan.Ordered.Select(t => $"<li>{WebUtility.HtmlEncode(t.Name)}{(PlanWriter.Note(plan, t) is { } note ? WebUtility.HtmlEncode($" ({note})") : "")}</li>"));
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Execution plan</title>
            <style>body{"{"}font-family:sans-serif;margin:2em{"}"} .legend span{"{"}margin-right:1.5em{"}"}</style></head>
            <body><h1>Execution plan</h1>
            <p class="legend"><span>solid: depends on</span><span>dashed: triggers</span><span>dotted: runs after</span><span>green: planned, grey: skipped, dashed border: decided when its turn comes</span></p>
            {svg}
            <ol>{list}</ol>
            </body></html>

            """;
    }
}
