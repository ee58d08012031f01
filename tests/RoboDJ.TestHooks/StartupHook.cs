using System.Diagnostics;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;

/// <summary>
/// A .NET startup hook (DOTNET_STARTUP_HOOKS) that the end-to-end tests load into the build process; the shipped build
/// has only the two inert seams it sets. From the environment:
/// ROBODJ_TEST_FAIL_TARGET=&lt;target&gt;[,&lt;target&gt;...] fails those targets after their work (before it is journaled as
/// ended); RollbackDashboard fails the rollback's dashboard check after a good restore;
/// ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP=&lt;n&gt; kills the process (SIGKILL) right after the n-th journal line is on disk;
/// ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP=&lt;n&gt; pauses 5 s there instead, so that a test can send a signal at a known point.
/// </summary>
#pragma warning disable CA1050 // the runtime looks for a type named StartupHook outside any namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable("ROBODJ_TEST_FAIL_TARGET") is { Length: > 0 } failing)
        {
            var targets = failing.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            FaultInjection.Current = target => targets.Contains(target, StringComparer.OrdinalIgnoreCase)
                ? new InvalidOperationException($"injected failure in {target} (ROBODJ_TEST_FAIL_TARGET)")
                : null;
        }
        var kill = int.TryParse(Environment.GetEnvironmentVariable("ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"), out var k) ? k : -1;
        var pause = int.TryParse(Environment.GetEnvironmentVariable("ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"), out var p) ? p : -1;
        if (kill < 0 && pause < 0) return;
        RotationJournal.AfterAppend = count =>
        {
            if (count == kill) Process.GetCurrentProcess().Kill();
            if (count == pause) Thread.Sleep(TimeSpan.FromSeconds(5));
        };
    }
}
