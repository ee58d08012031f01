using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Who moves the fields (issue 14): the app's own config saves, or the offline rewrap while the app is down. The app
/// writes under the V1 it runs on, so it may be the writer only when its latest key check names the store's V1: an app
/// started before .env was edited would rewrite every field under a key the store does not have. A check line that
/// names no V1 proves nothing here: auto then rewraps offline, and --rewrap-by app refuses.
/// </summary>
public sealed partial class KeyRotationWorkflow
{
    /// <summary>--rewrap-by app without a login or without that proof is a Preflight refusal; auto falls back to offline.</summary>
    async Task<bool> AppRewrapsAsync(DashboardSession? session, KeySlots keys, CancellationToken cancellationToken)
    {
        if (options.RewrapBy == RewrapMode.Offline) return false;
        if (session is null)
            return options.RewrapBy == RewrapMode.App ? throw new PreflightFailedException([
                "--rewrap-by app needs the running app's dashboard (its config save before Stop moves the fields), but Preflight could not log in to it. " +
                "Fix: start the app and configure dashboard-url and DASHBOARD_PASSWORD, or run with --rewrap-by offline."]) : false;
        var v1 = keys.Primary!.Fingerprint.ToString();
        var verdict = await LatestKeyCheckAsync(v1, cancellationToken);
        if (verdict.What == LineVerdict.Kind.WrongKey)
            throw new PreflightFailedException([$"{Paths.StartupLog}: the running app does not run on {store.Description}'s V1 {v1}: {verdict.Why}. " +
                "Its config save would write every field under a key the store does not hold. Nothing was changed. " +
                $"Fix: restart the app so that it loads {store.Description}'s keys, check with ./build.sh Verify --env {settings.Env}, then run Rotate again."]);
        // Only a line that names the store's V1 proves the writer's key; a warning means it was accepted without one.
        if (verdict is { What: LineVerdict.Kind.Counts, Why: null }) return true;
        var unproven = $"{Paths.StartupLog}: the latest key check does not show that the running app runs on V1 {v1} ({verdict.Why})";
        if (options.RewrapBy == RewrapMode.App)
            throw new PreflightFailedException([$"--rewrap-by app: {unproven}. Fix: restart the app so that it logs a fresh key check, or run with --rewrap-by offline."]);
        Log.Warning("{Unproven}; the fields are rewrapped offline while the app is down", unproven);
        return false;
    }

    /// <summary>The latest key-check line judged against the running app (desktop pids) and the store's V1.</summary>
    async Task<LineVerdict> LatestKeyCheckAsync(string v1, CancellationToken cancellationToken)
    {
        var status = await runtime.StatusAsync(cancellationToken);
        if (!status.AnyRunning) return LineVerdict.Ignore($"{runtime.Description} is not running");
        var last = await StartupLog.LastCheckAsync(1 << 20, cancellationToken);
        if (last is null) return LineVerdict.Ignore($"no \"{StartupLog.PassText}\" line in its last MiB");
        if (!last.Passed) return LineVerdict.Ignore($"the latest key check failed: {last.Line}");
        var pids = runtime is ITracksLaunches
            ? status.Units.Select(u => int.TryParse(u.Id, out var pid) ? pid : 0).Where(pid => pid > 0).ToHashSet()
            : [];
        var expected = new PassExpectation(pids, v1);
        using var json = System.Text.Json.JsonDocument.Parse(last.Line);
        var verdict = expected.Judge(json.RootElement, passed: true);
        if (verdict.What == LineVerdict.Kind.Ignored && expected.NamesAnotherV1WithoutPid(json.RootElement))
            return LineVerdict.Wrong(verdict.Why!);
        return verdict;
    }
}
