using System.Text;

namespace RoboDJ.Pipeline.Internal;

/// <summary>--plan: the ordered plan on the console, plus plan.md (Mermaid) and plan.html (inline SVG, works offline).</summary>
static class PlanWriter
{
    public static void Write(ConsoleOutput output, ExecutionPlan plan, string temporaryDirectory)
    {
        output.Line("Execution plan:", ConsoleOutput.Bold);
        for (var i = 0; i < plan.Ordered.Count; i++)
        {
            var t = plan.Ordered[i];
            var note = Note(plan, t) is { } text ? $"  ({text})" : "";
            var marks = (t.IsGate ? " [gate]" : "") + (t.IsAssured ? " [assured]" : "") + (t.IsProceedAfterFailure ? " [proceeds after failure]" : "");
            output.Line($"  {i + 1,2}. {t.Name}{marks}{note}", plan.SkipReasons.ContainsKey(t) ? ConsoleOutput.Grey : null);
        }
        Directory.CreateDirectory(temporaryDirectory);
        var md = Path.Combine(temporaryDirectory, "plan.md");
        var html = Path.Combine(temporaryDirectory, "plan.html");
        File.WriteAllText(md, SecretRedactor.Redact(Mermaid(plan)));
        File.WriteAllText(html, SecretRedactor.Redact(PlanHtml.Render(plan)));
        output.Line();
        output.Line($"Graph written to {Path.GetRelativePath(Directory.GetParent(Path.GetDirectoryName(temporaryDirectory)!)!.FullName, md)} and plan.html beside it.", ConsoleOutput.Grey);
    }

    /// <summary>Why a planned target is skipped, or when it may be, in words; null when it simply runs.</summary>
    public static string? Note(ExecutionPlan plan, ExecutableTarget t) =>
        plan.SkipReasons.TryGetValue(t, out var reason) ? $"skipped: {reason}"
        : t.Definition.DynamicConditions.Count > 0 ? $"decided when its turn comes: skipped if {string.Join(", or if ", t.Definition.DynamicConditions.Select(c => c.SkipReason))}"
        : null;

    /// <summary>Every listed or planned target; solid arrows are DependsOn, dashed ones Triggers, dotted ones After.</summary>
    public static string Mermaid(ExecutionPlan plan)
    {
        var shown = Shown(plan);
        var sb = new StringBuilder();
        sb.Append("# Execution plan\n\n");
        sb.Append("Invoked: ").Append(string.Join(", ", plan.Invoked.Select(t => t.Name))).Append(". Order: ")
          .Append(string.Join(" → ", plan.Ordered.Select(t => t.Name))).Append(".\n\n");
        sb.Append("```mermaid\ngraph LR\n");
        foreach (var t in shown)
        {
            var label = t.Name + (t.IsGate ? " (gate)" : "") + (plan.SkipReasons.ContainsKey(t) ? " (skipped)" : "");
            sb.Append($"  {t.Name}[\"{label}\"]\n");
        }
        foreach (var (from, to, kind) in Edges(shown))
            sb.Append(kind switch { EdgeKind.Triggers => $"  {from.Name} -.->|triggers| {to.Name}\n", EdgeKind.After => $"  {from.Name} -.- {to.Name}\n", _ => $"  {from.Name} --> {to.Name}\n" });
        sb.Append("  classDef planned fill:#d4edda,stroke:#2e7d32;\n  classDef skipped fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4;\n");
        var planned = plan.Ordered.Where(t => !plan.SkipReasons.ContainsKey(t)).ToList();
        if (planned.Count > 0) sb.Append("  class ").Append(string.Join(",", planned.Select(t => t.Name))).Append(" planned;\n");
        var skipped = plan.Ordered.Where(plan.SkipReasons.ContainsKey).ToList();
        if (skipped.Count > 0) sb.Append("  class ").Append(string.Join(",", skipped.Select(t => t.Name))).Append(" skipped;\n");
        sb.Append("```\n");
        return sb.ToString();
    }

    public enum EdgeKind { DependsOn, Triggers, After }

    public static List<ExecutableTarget> Shown(ExecutionPlan plan) => plan.All.Where(t => t.IsListed || plan.Contains(t)).ToList();

    /// <summary>Edges point the way work flows: from the target that runs first to the one that runs after it.</summary>
    public static IEnumerable<(ExecutableTarget From, ExecutableTarget To, EdgeKind Kind)> Edges(List<ExecutableTarget> shown)
    {
        foreach (var t in shown)
        {
            foreach (var d in t.DependsOn.Where(shown.Contains)) yield return (d, t, EdgeKind.DependsOn);
            foreach (var d in t.Triggers.Where(shown.Contains)) yield return (t, d, EdgeKind.Triggers);
            foreach (var d in t.OrderedAfter.Where(shown.Contains)) yield return (d, t, EdgeKind.After);
        }
    }
}
