using System.Text.Json;

namespace RoboDJ.KeyRotation.Verification;

/// <summary>
/// Whose key check counts after a Start: the pids of the processes that Start launched (empty: unknown, e.g. a
/// container's app) and the V1 fingerprint the app must report. The sandbox app writes "pid" and "v1" on its PASS
/// line; a real app may write neither. The rules, in order (the README's "what proves a PASS"):
/// a line with no pid is another process's when the app's own earlier key checks name theirs
/// (<see cref="AppNamesItsPid"/>), and is ignored; a line from another pid is ignored (an orphan of an earlier start);
/// a PASS that reports another V1 fails when it is from our pid, and is ignored when its pid is unknown; a PASS with
/// the expected V1 counts; a PASS with neither field counts by its position after Start's offset alone, with a
/// warning. Whatever counts, counts only while the app Start launched still runs (<see cref="StillRunning"/>).
/// </summary>
public sealed record PassExpectation(IReadOnlySet<int> Pids, string? V1)
{
    /// <summary>The app's own key checks before this Start named their pid, so one that names none was written by another process.</summary>
    public bool AppNamesItsPid { get; init; }

    /// <summary>Whether the app Start launched (or its container) still runs; null: not asked (no Start in this run).</summary>
    public Func<CancellationToken, Task<bool>>? StillRunning { get; init; }

    /// <summary>Any PASS after the offset counts (no process or key known).</summary>
    public static readonly PassExpectation Anyone = new(new HashSet<int>(), null);

    /// <summary>What one key-check line means under this expectation.</summary>
    public LineVerdict Judge(JsonElement line, bool passed)
    {
        var pid = line.TryGetProperty("pid", out var p) && p.TryGetInt32(out var n) ? n : (int?)null;
        var v1 = line.TryGetProperty("v1", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var ours = pid is { } id && Pids.Contains(id);
        if (pid is null && AppNamesItsPid)
            return LineVerdict.Ignore("it names no pid, but this app's own key checks name theirs, so another process wrote it");
        if (pid is { } other && Pids.Count > 0 && !ours)
            return LineVerdict.Ignore($"it is from pid {other}, not from the expected app (pid {string.Join(", ", Pids.Order())})");
        if (!passed) return LineVerdict.Counts(null);
        var sameV1 = v1 is not null && V1 is not null && SameFingerprint(v1, V1);
        if (V1 is not null && v1 is not null && !sameV1)
            return pid is null
                ? LineVerdict.Ignore($"it reports V1 {v1}, not the expected {V1}, and names no pid")
                : LineVerdict.Wrong($"the app (pid {pid}) reports V1 {v1}, not the expected {V1}");
        if (sameV1) return LineVerdict.Counts(null);
        if (ours) return LineVerdict.Counts(V1 is null ? null : $"the PASS line of pid {pid} reports no V1 fingerprint; accepted by its pid");
        if (V1 is null && Pids.Count == 0) return LineVerdict.Counts(null);
        return LineVerdict.Counts(pid is null
            ? "the PASS line names neither a pid nor a V1 fingerprint; accepted by its position after Start's offset alone"
            : $"the PASS line of pid {pid} reports no V1 fingerprint and its pid cannot be checked here; accepted by its position after Start's offset alone");
    }

    /// <summary>
    /// Before any Start: a line that names no pid and another V1 is the running app's own (a container's app), so it
    /// shows that app on a key other than the store's (e.g. .env edited without a restart), not an orphan to ignore.
    /// </summary>
    public bool NamesAnotherV1WithoutPid(JsonElement line) =>
        V1 is not null && !line.TryGetProperty("pid", out _)
        && line.TryGetProperty("v1", out var v) && v.ValueKind == JsonValueKind.String && !SameFingerprint(v.GetString()!, V1);

    // "sha256:1a2b3c4d5e6f" as we print it, or the bare 12 hex digits as an app may log it.
    static bool SameFingerprint(string logged, string expected) =>
        string.Equals(Bare(logged), Bare(expected), StringComparison.OrdinalIgnoreCase);

    static string Bare(string fingerprint) => fingerprint.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? fingerprint[7..] : fingerprint;
}

/// <summary>A key-check line: it counts (with an optional warning), is ignored (why), or shows the wrong key (why).</summary>
public sealed record LineVerdict(LineVerdict.Kind What, string? Why)
{
    public enum Kind { Counts, Ignored, WrongKey }

    public static LineVerdict Counts(string? warning) => new(Kind.Counts, warning);
    public static LineVerdict Ignore(string why) => new(Kind.Ignored, why);
    public static LineVerdict Wrong(string why) => new(Kind.WrongKey, why);
}
