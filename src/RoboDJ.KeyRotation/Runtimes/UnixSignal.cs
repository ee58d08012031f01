using System.Runtime.InteropServices;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>.NET has no API to send SIGTERM, which is what lets the app shut down cleanly; libc's kill(2) does.</summary>
public static partial class UnixSignal
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;
}
