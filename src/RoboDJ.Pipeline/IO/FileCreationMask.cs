using System.Runtime.InteropServices;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// The build's own umask: 077, set once at start, so everything it creates (CLEF logs, the job summary, plan files,
/// key_rotation/, config/incidents/ and their files) is its user's alone whatever umask the shell or the service gave it
/// (a umask of 000 made the logs 0666 and config/incidents/ 0777). The umask it was started with is kept for the one
/// child that is not ours: the app, whose files are its own business.
/// </summary>
public static class FileCreationMask
{
    const int OwnerOnly = 0b000_111_111;

    /// <summary>The umask the process was started with (e.g. "0022"); null until <see cref="RestrictToOwner"/> ran, and on Windows.</summary>
    public static string? Inherited { get; private set; }

    public static void RestrictToOwner()
    {
        if (OperatingSystem.IsWindows() || Inherited is not null) return;
        Inherited = "0" + Convert.ToString(umask(OwnerOnly), 8).PadLeft(3, '0');
    }

    [DllImport("libc")]
    static extern int umask(int mask);
}
