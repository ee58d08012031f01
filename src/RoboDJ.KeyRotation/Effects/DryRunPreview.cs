namespace RoboDJ.KeyRotation.Effects;

/// <summary>The preview of a dry run: the changes it recorded, in order, numbered.</summary>
public static class DryRunPreview
{
    /// <summary>One line for the console, where each change is already its target's note in the summary table.</summary>
    public static string Summary(IReadOnlyList<PlannedChange> changes)
    {
        if (changes.Count == 0) return "Dry run: no change would be made.";
        var kinds = changes.GroupBy(c => c.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        return $"Dry run: a real run would make {changes.Count} change(s) ({string.Join(", ", kinds)}), each the note of its target above; none was made.";
    }

    public static string Render(IReadOnlyList<PlannedChange> changes)
    {
        if (changes.Count == 0) return "Dry run: no change would be made (nothing in the plan changes anything).";
        var lines = changes.Select((c, i) => $"  {i + 1}. {c}");
        return $"Dry run: a real run would make these {changes.Count} change(s); none was made:\n{string.Join("\n", lines)}";
    }
}
