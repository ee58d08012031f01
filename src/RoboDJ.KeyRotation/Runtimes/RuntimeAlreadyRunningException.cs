namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Start found the app already running: a second instance would keep the old keys in memory.</summary>
public sealed class RuntimeAlreadyRunningException(string name, IEnumerable<int> pids)
    : RuntimeException($"'{name}' is already running (pid {string.Join(", ", pids)}); starting another instance would leave one on the old keys. Fix: run Stop first.");
