using Serilog;

namespace RoboDJ.Pipeline.Internal;

/// <summary>The table after the run (target, status, duration, note) and the outcome line; a dry run says so.</summary>
static class SummaryWriter
{
    /// <summary>The table only; the outcome line comes last (<see cref="WriteOutcome"/>), after whatever the build adds.</summary>
    public static void Write(ConsoleOutput output, BuildSummary summary)
    {
        var rows = summary.Targets.Select(t => (t.Name, Status: t.Status.ToString(), Duration: Format(t.Duration), Note: OneLine(t.Note ?? ""))).ToList();
        var w1 = Math.Max("Target".Length, rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        var w2 = Math.Max("Status".Length, rows.Select(r => r.Status.Length).DefaultIfEmpty(0).Max());
        var w3 = Math.Max("Duration".Length, 8);
        var indent = w1 + w2 + w3 + 9;
        // The note column takes what the console has left, never less than a readable minimum; long notes wrap between
        // words, and a path between its folders.
        var noteWidth = Math.Max(MinimumNoteWidth, output.Width - indent);
        var longest = rows.Select(r => r.Note.Length).DefaultIfEmpty(0).Max();
        var rule = new string('═', indent + Math.Clamp(longest, 4, noteWidth));
        output.Line();
        output.Line(rule);
        output.Line($"{"Target".PadRight(w1)}   {"Status".PadRight(w2)}   {"Duration".PadLeft(w3)}   Note", ConsoleOutput.Bold);
        output.Line(new string('─', rule.Length));
        foreach (var (t, r) in summary.Targets.Zip(rows))
        {
            var lines = TextWrap.Wrap(r.Note, noteWidth);
            output.Line($"{r.Name.PadRight(w1)}   {r.Status.PadRight(w2)}   {r.Duration.PadLeft(w3)}   {lines[0]}".TrimEnd(), Colour(t.Status));
            foreach (var more in lines.Skip(1)) output.Line(new string(' ', indent) + more, Colour(t.Status));
            // The CLEF log keeps every note whole, for the job summary and for a reader with a wide screen.
            Log.Debug("Summary {Target} {Status} {DurationMs} {Note}", t.Name, t.Status, (long)t.Duration.TotalMilliseconds, t.Note);
        }
        output.Line(new string('─', rule.Length));
        var total = TimeSpan.FromTicks(summary.Targets.Sum(t => t.Duration.Ticks));
        output.Line($"{"Total".PadRight(w1)}   {"".PadRight(w2)}   {Format(total).PadLeft(w3)}");
        output.Line(rule);
    }

    public static void WriteOutcome(ConsoleOutput output, BuildSummary summary)
    {
        output.Line();
        output.Line(Outcome(summary), summary.Outcome == BuildOutcome.Succeeded ? ConsoleOutput.Green : ConsoleOutput.Red);
        Log.Debug("Build finished: {Outcome} (dry run: {IsDryRun})", summary.Outcome, summary.IsDryRun);
    }

    const int MinimumNoteWidth = 30;

    public static string Outcome(BuildSummary summary)
    {
        var dry = summary.IsDryRun ? " [dry run: nothing was changed]" : "";
        var failed = summary.Failed.Select(t => t.Name).ToList();
        return summary.Outcome switch
        {
            BuildOutcome.Succeeded => $"Build succeeded on {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC.{dry}",
            BuildOutcome.Cancelled => $"Build cancelled.{dry}",
            _ => $"Build failed: {string.Join(", ", failed)} failed.{dry}",
        };
    }

    static string? Colour(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => ConsoleOutput.Green,
        TargetStatus.Failed or TargetStatus.Aborted => ConsoleOutput.Red,
        TargetStatus.Skipped or TargetStatus.NotRun => ConsoleOutput.Grey,
        _ => null,
    };

    static string Format(TimeSpan d) => d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}:{d.Seconds:00}" : d.TotalSeconds >= 1 ? $"{d.TotalSeconds:0.0}s" : d == TimeSpan.Zero ? "" : "< 1s";

    static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
