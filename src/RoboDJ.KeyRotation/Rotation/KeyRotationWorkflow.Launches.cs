using System.Globalization;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Runtimes;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The processes a Start launched: kept here for the rest of the run and journaled at Start, so that Stop and Rollback
/// stop exactly them (even before the app wrote its pid file) and only their PASS line counts.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    /// <summary>The journal fact with the launched processes, as "pid@start-ticks" separated by commas.</summary>
    public const string LaunchedFact = "launched";

    /// <summary>Starts the runtime and returns the pids of what this start launched or found running for it (empty for containers).</summary>
    async Task<(RuntimeReport Report, IReadOnlySet<int> Pids)> StartTrackedAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var before = (runtime as ITracksLaunches)?.Launched.Select(p => p.Pid).ToHashSet() ?? [];
        var report = await runtime.StartAsync(notBefore, cancellationToken);
        if (runtime is not ITracksLaunches tracker) return (report, new HashSet<int>());
        var pids = tracker.Launched.Select(p => p.Pid).Where(pid => !before.Contains(pid))
            .Concat(report.Units.Select(u => int.TryParse(u.Id, CultureInfo.InvariantCulture, out var pid) ? pid : 0).Where(pid => pid > 0))
            .ToHashSet();
        return (report, pids);
    }

    string? LaunchedFactValue() => runtime is ITracksLaunches tracker && tracker.Launched.Count > 0
        ? string.Join(",", tracker.Launched.Select(p => $"{p.Pid}@{p.StartTime.Ticks}"))
        : null;

    /// <summary>Rollback or Resume in a later run: adopts the processes the journal says a Start launched, if still alive.</summary>
    void AdoptJournaledLaunches(RotationJournal target)
    {
        if (runtime is not ITracksLaunches tracker || target.Fact(LaunchedFact) is not { } text) return;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('@');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !long.TryParse(parts[1], out var ticks)) continue;
            // Each process works the start time out from its own reading of the boot time, so two runs can differ by
            // milliseconds for the same process; a reused pid starts later by far more than this.
            if (ProcessTable.Get(pid) is { } live && Math.Abs(live.StartTime.Ticks - ticks) < TimeSpan.TicksPerSecond)
            {
                Log.Information("Adopting pid {Pid}, which Start of rotation {Id} launched and which still runs", pid, target.Id);
                tracker.Track(live);
            }
        }
    }
}
