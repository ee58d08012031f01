namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ProcessWillNotDieException(string name, IEnumerable<int> pids)
    : RuntimeException($"'{name}' is still running after a graceful stop and a forced kill (pid {string.Join(", ", pids)}). Fix: end it by hand (Task Manager / Stop-Process -Force / kill -9) and check that this user may signal it.")
{
    public IReadOnlyList<int> Pids { get; } = pids.ToList();
}
