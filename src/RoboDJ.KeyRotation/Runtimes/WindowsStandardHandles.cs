using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Windows gives a child every inheritable handle of its parent, whatever its own standard handles are: a detached app
/// would keep the pipeline's stdout and stderr open (a CI step, or a test reading them, would then wait for the app to
/// exit). They are made uninheritable for the one start that must not take them, and inheritable again after it.
/// </summary>
[SupportedOSPlatform("windows")]
static class WindowsStandardHandles
{
    const int StdInput = -10;
    const int StdOutput = -11;
    const int StdError = -12;
    const uint Inherit = 0x1;
    static readonly Lock Gate = new();

    public static T WithoutInheritance<T>(Func<T> start)
    {
        lock (Gate)
        {
            var inherited = new[] { StdInput, StdOutput, StdError }.Select(GetStdHandle)
                .Where(h => h != 0 && h != -1 && GetHandleInformation(h, out var flags) && (flags & Inherit) != 0).Distinct().ToList();
            foreach (var handle in inherited) SetHandleInformation(handle, Inherit, 0);
            try { return start(); }
            finally { foreach (var handle in inherited) SetHandleInformation(handle, Inherit, Inherit); }
        }
    }

    [DllImport("kernel32.dll")]
    static extern nint GetStdHandle(int which);

    [DllImport("kernel32.dll")]
    static extern bool GetHandleInformation(nint handle, out uint flags);

    [DllImport("kernel32.dll")]
    static extern bool SetHandleInformation(nint handle, uint mask, uint flags);
}
