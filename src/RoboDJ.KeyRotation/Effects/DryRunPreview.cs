using Serilog;

namespace RoboDJ.KeyRotation.Effects;

/// <summary>The preview of a dry run: the changes it recorded, in order, numbered, each event with its values named.</summary>
public static class DryRunPreview
{
    /// <summary>
    /// Each change at debug (the CLEF file has the whole record), then one line for the console, where each change is
    /// already its target's note in the summary table.
    /// </summary>
    public static void Log(IReadOnlyList<PlannedChange> changes, ILogger logger)
    {
        if (changes.Count == 0)
        {
            logger.Information("Dry run: no change would be made.");
            return;
        }
        for (var i = 0; i < changes.Count; i++)
            logger.Debug("Dry run, change {Number} of {Count}: {Target} [{Kind}] {Change}", i + 1, changes.Count, changes[i].Target, Kind(changes[i].Kind), changes[i].What);
        var kinds = string.Join(", ", changes.GroupBy(c => c.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Kind(g.Key)}"));
        logger.Information("Dry run: a real run would make {Count} change(s) ({Kinds}), each the note of its target above; none was made.", changes.Count, kinds);
    }

    static string Kind(ChangeKind kind) => kind.ToString().ToLowerInvariant();
}
