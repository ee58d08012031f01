namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The process Start launched exited before the app showed up: failed at once, with the launcher log's tail.</summary>
public sealed class AppDiedDuringStartException(string what, int pid, TimeSpan after, string lastLogLines)
    : RuntimeException($"{what} exited {after.TotalSeconds:0.0} s after its launch (pid {pid}) without coming up. " +
                       $"Fix: read the launcher log below for the reason (settings, .env access, port).{(lastLogLines.Length > 0 ? "\n" + lastLogLines : " (no launcher log configured)")}");
