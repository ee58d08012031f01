using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// The atomic writer's last step on Windows: MoveFileEx with REPLACE_EXISTING and WRITE_THROUGH, so the rename is on
/// disk when it returns. The replacement takes the target's attributes (read-only, hidden, ...), as a Unix write keeps
/// the mode; a read-only target is unlocked only for the rename. A target that another process holds open without
/// sharing (Windows refuses to rename over it) is tried again for <see cref="HeldOpenPatience"/>, then refused with
/// <see cref="FileHeldOpenException"/>, which names the holder when the Restart Manager can tell it.
/// </summary>
[SupportedOSPlatform("windows")]
static class WindowsFileReplacement
{
    /// <summary>How long a held file is tried again: an antivirus scan or a backup lets go within seconds.</summary>
    public static TimeSpan HeldOpenPatience { get; set; } = TimeSpan.FromSeconds(10);

    const uint ReplaceExisting = 0x1;
    const uint WriteThrough = 0x8;
    const int AccessDenied = 5;
    const int SharingViolation = 32;
    const int LockViolation = 33;

    const FileAttributes Kept = FileAttributes.ReadOnly | FileAttributes.Hidden | FileAttributes.System | FileAttributes.Archive
        | FileAttributes.NotContentIndexed;

    public static void Replace(string temp, string target)
    {
        var attributes = File.Exists(target) ? File.GetAttributes(target) & Kept : (FileAttributes?)null;
        // Read-only only once in place: a temp file left after a failure must stay deletable.
        if (attributes is { } wanted) File.SetAttributes(temp, (wanted & ~FileAttributes.ReadOnly) is var w && w == 0 ? FileAttributes.Normal : w);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var error = MoveOver(temp, target, attributes);
            if (error == 0) return;
            // Windows says "access denied" for a file open in another program as well as for a permission: only the first passes.
            if (!(error is SharingViolation or LockViolation || (error == AccessDenied && IsHeldOpen(target))))
                throw new IOException($"{target}: could not replace it: {new System.ComponentModel.Win32Exception(error).Message} (error {error}); it is unchanged. " +
                    "Fix: give this user write access to the file and its folder, and clear its read-only attribute if a policy keeps setting it.");
            if (clock.Elapsed >= HeldOpenPatience) throw new FileHeldOpenException(target, Holders(target), clock.Elapsed);
            Thread.Sleep(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    static bool IsHeldOpen(string file)
    {
        try
        {
            using var probe = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is SharingViolation or LockViolation) { return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>One rename; a read-only target is made writable only for it, and read-only again after it, done or not.</summary>
    static int MoveOver(string temp, string target, FileAttributes? attributes)
    {
        var readOnly = attributes?.HasFlag(FileAttributes.ReadOnly) == true;
        if (readOnly) File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
        var error = MoveFileExW(temp, target, ReplaceExisting | WriteThrough) ? 0 : Marshal.GetLastPInvokeError();
        if (readOnly && File.Exists(target)) File.SetAttributes(target, File.GetAttributes(target) | FileAttributes.ReadOnly);
        return error;
    }

    /// <summary>The processes that have <paramref name="file"/> open, by the Restart Manager; empty when it cannot tell.</summary>
    static IReadOnlyList<string> Holders(string file)
    {
        var key = new char[33];
        if (RmStartSession(out var session, 0, key) != 0) return [];
        try
        {
            if (RmRegisterResources(session, 1, [file], 0, null, 0, null) != 0) return [];
            uint needed = 0, count = 0;
            var result = RmGetList(session, out needed, ref count, null, out _);
            if (result != MoreData || needed == 0) return [];
            var processes = new ProcessInfo[needed];
            count = needed;
            if (RmGetList(session, out needed, ref count, processes, out _) != 0) return [];
            return processes.Take((int)count).Select(p => $"pid {p.Process.ProcessId} ({p.AppName})").ToList();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return []; }
        finally { RmEndSession(session); }
    }

    const int MoreData = 234;

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    static extern bool MoveFileExW(string existing, string replacement, uint flags);

    [StructLayout(LayoutKind.Sequential)]
    struct UniqueProcess
    {
        public int ProcessId;
        public System.Runtime.InteropServices.ComTypes.FILETIME StartTime;
    }

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    struct ProcessInfo
    {
        public UniqueProcess Process;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 256)] public string AppName;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 64)] public string ServiceShortName;
        public int ApplicationType;
        public uint AppStatus;
        public uint TSSessionId;
        [MarshalAs(UnmanagedType.Bool)] public bool Restartable;
    }

    [DllImport("rstrtmgr.dll", CharSet = CharSet.Unicode)]
    static extern int RmStartSession(out uint session, int flags, char[] key);

    [DllImport("rstrtmgr.dll")]
    static extern int RmEndSession(uint session);

    [DllImport("rstrtmgr.dll", CharSet = CharSet.Unicode)]
    static extern int RmRegisterResources(uint session, uint files, string[] names, uint applications, UniqueProcess[]? processes, uint services, string[]? serviceNames);

    [DllImport("rstrtmgr.dll")]
    static extern int RmGetList(uint session, out uint needed, ref uint count, [In, Out] ProcessInfo[]? processes, out uint rebootReasons);
}

/// <summary>A file another program keeps open without sharing, so the atomic write cannot replace it; nothing was changed.</summary>
public sealed class FileHeldOpenException(string file, IReadOnlyList<string> holders, TimeSpan tried)
    : IOException($"{file} is held open without sharing by {(holders.Count > 0 ? string.Join(", ", holders) : "another program (Windows does not say which)")}, " +
        $"so it cannot be replaced; tried for {tried.TotalSeconds:0} s and left it unchanged. " +
        $"Fix: close {(holders.Count > 0 ? "that program" : "the program that has it open (Resource Monitor > CPU > Associated Handles finds it by name)")}, then run again.")
{
    public string File { get; } = file;
    public IReadOnlyList<string> Holders { get; } = holders;
}
