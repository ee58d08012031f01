using System.Diagnostics;
using RoboDJ.KeyRotation.Journal;

/// <summary>
/// Failure and crash injection for the end-to-end tests, honoured only when ROBODJ_TEST_HOOKS=1:
/// ROBODJ_TEST_FAIL_TARGET=&lt;target&gt;[,&lt;target&gt;...] fails those targets after their work (before it is journaled as
/// ended); RollbackDashboard fails the rollback's dashboard check after a good restore;
/// ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP=&lt;n&gt; kills this process (SIGKILL) right after the n-th journal line is on disk;
/// ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP=&lt;n&gt; pauses 5 s there instead, so that a test can send SIGTERM at a known point.
/// </summary>
static class TestHooks
{
    static bool Enabled(Func<string, string?> env) => env("ROBODJ_TEST_HOOKS") == "1";

    public static Func<string, Exception?>? FaultInjector(Func<string, string?> env)
    {
        if (!Enabled(env) || env("ROBODJ_TEST_FAIL_TARGET") is not { Length: > 0 } failing) return null;
        var targets = failing.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return target => targets.Contains(target, StringComparer.OrdinalIgnoreCase)
            ? new InvalidOperationException($"injected failure in {target} (ROBODJ_TEST_FAIL_TARGET)")
            : null;
    }

    public static void InstallCrashHook(Func<string, string?> env)
    {
        if (!Enabled(env)) return;
        var kill = int.TryParse(env("ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"), out var k) ? k : -1;
        var pause = int.TryParse(env("ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"), out var p) ? p : -1;
        if (kill < 0 && pause < 0) return;
        RotationJournal.AfterAppend = count =>
        {
            if (count == kill) Process.GetCurrentProcess().Kill();
            if (count == pause) Thread.Sleep(TimeSpan.FromSeconds(5));
        };
    }
}
