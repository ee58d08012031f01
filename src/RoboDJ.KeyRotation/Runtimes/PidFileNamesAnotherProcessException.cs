namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The app's pid file names a live process that is not this deployment's app (rewritten, or copied from another
/// deployment): Stop would end a stranger and leave the app on its old keys, so the runtime refuses instead.
/// </summary>
public sealed class PidFileNamesAnotherProcessException(string pidFile, AppProcess process, string why, string root)
    : RuntimeException($"{pidFile} names pid {process.Pid} ({process.Name}), which is not this deployment's app: {why}. " +
        $"Only the process Start launched, its descendants, or a process whose executable, working folder or command line lies in {root} is stopped. " +
        $"Fix: if pid {process.Pid} is not the app, delete {pidFile} (the app writes it again when it starts) and find out who rewrote it; " +
        $"if it is the app, start it through its launcher from {root}.")
{
    public int Pid { get; } = process.Pid;
}
