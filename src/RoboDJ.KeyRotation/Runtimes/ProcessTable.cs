using System.Diagnostics;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Reads the OS process table. On Linux /proc/&lt;pid&gt;/comm is cut at 15 characters, so "RoboDJ Automation" is
/// matched against argv[0] and the executable's name as well.
/// </summary>
public static class ProcessTable
{
    const int CommLength = 15;

    public static AppProcess? Get(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (OperatingSystem.IsLinux() && IsZombie(pid)) return null;
            return new AppProcess(pid, p.StartTime.ToUniversalTime(), OperatingSystem.IsLinux() ? Comm(pid) ?? p.ProcessName : p.ProcessName);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static bool IsAlive(AppProcess process) => Get(process.Pid) is { } now && now.StartTime == process.StartTime;

    public static IReadOnlyList<AppProcess> ByName(string name)
    {
        var self = Environment.ProcessId;
        if (!OperatingSystem.IsLinux())
        {
            var found = Process.GetProcessesByName(name).Where(p => p.Id != self).Select(p => p.Id).ToList();
            return found.Select(Get).OfType<AppProcess>().ToList();
        }
        return LinuxPids().Where(pid => pid != self && LinuxMatches(pid, name)).Select(Get).OfType<AppProcess>().ToList();
    }

    /// <summary>
    /// Every live descendant of the given processes, a given process below another included: a child the app just forked
    /// still carries the app's name, so both can be given. A root may have exited: on Windows its orphans keep its pid as
    /// their parent's, so a child that started after the root is still its descendant (a reused pid starts later than
    /// its children).
    /// </summary>
    public static IReadOnlyList<AppProcess> Descendants(IEnumerable<AppProcess> roots)
    {
        var pids = OperatingSystem.IsLinux() ? LinuxPids() : OperatingSystem.IsWindows() ? Process.GetProcesses().Select(p => { using (p) return p.Id; }) : [];
        var children = pids.Select(pid => (pid, parent: ParentOf(pid))).Where(x => x.parent > 0).ToLookup(x => x.parent, x => x.pid);
        var result = new List<AppProcess>();
        var queue = new Queue<AppProcess>(roots);
        var seen = new HashSet<int>();
        while (queue.TryDequeue(out var parent))
            foreach (var child in children[parent.Pid])
                if (seen.Add(child) && Get(child) is { } p && (OperatingSystem.IsLinux() || parent.StartTime == default || p.StartTime >= parent.StartTime))
                { result.Add(p); queue.Enqueue(p); }
        return result;
    }

    /// <summary>The executable, working folder and command line of <paramref name="pid"/>, as far as they can be read.</summary>
    public static ProcessOrigin OriginOf(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            var (folder, line) = WindowsProcessInfo.ParametersOf(pid);
            return new ProcessOrigin(WindowsProcessInfo.ExecutableOf(pid), folder, line);
        }
        if (!OperatingSystem.IsLinux()) return new ProcessOrigin(null, null, null);
        var argv = TryRead($"/proc/{pid}/cmdline");
        return new ProcessOrigin(Deleted(TryReadLink($"/proc/{pid}/exe")), Deleted(TryReadLink($"/proc/{pid}/cwd")), argv?.TrimEnd('\0'));
    }

    // An executable replaced on disk since its start reads back as "<path> (deleted)": it was still started from there.
    static string? Deleted(string? link) => link?.EndsWith(" (deleted)", StringComparison.Ordinal) == true ? link[..^10] : link;

    /// <summary>
    /// The live processes of the session <paramref name="sessionId"/> (Linux): the detached launcher leads its own session,
    /// so the app stays findable after a launcher that forked it off has exited. Empty elsewhere.
    /// </summary>
    public static IReadOnlyList<AppProcess> InSession(int sessionId)
    {
        if (!OperatingSystem.IsLinux() || sessionId <= 1) return [];
        return LinuxPids().Where(pid => SessionOf(pid) == sessionId && !IsZombie(pid)).Select(Get).OfType<AppProcess>().ToList();
    }

    static int SessionOf(int pid) => StatFields(pid) is [_, _, _, var session, ..] && int.TryParse(session, out var s) ? s : 0;

    static bool LinuxMatches(int pid, string name)
    {
        var comm = Comm(pid);
        if (comm is null) return false;
        if (comm == name) return true;
        var argv0 = Argv(pid).FirstOrDefault() ?? "";
        if (Path.GetFileName(argv0) == name) return true;
        if (name.Length > CommLength && comm == name[..CommLength])
        {
            var exe = TryReadLink($"/proc/{pid}/exe");
            return exe is not null && Path.GetFileName(exe) == name || string.Join(' ', Argv(pid)).Contains(name, StringComparison.Ordinal);
        }
        return false;
    }

    static IEnumerable<int> LinuxPids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0).Where(pid => pid > 0);

    static string? Comm(int pid) => TryRead($"/proc/{pid}/comm")?.TrimEnd('\n');

    static string[] Argv(int pid) => (TryRead($"/proc/{pid}/cmdline") ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Fields after the ")" that closes comm, which may itself hold spaces and parentheses.</summary>
    static string[] StatFields(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null) return [];
        var close = stat.LastIndexOf(')');
        return close < 0 ? [] : stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    static bool IsZombie(int pid) => StatFields(pid) is [var state, ..] && state is "Z" or "X";

    /// <summary>The parent's pid; 0 when the process is gone or this OS does not say.</summary>
    public static int ParentOf(int pid) =>
        OperatingSystem.IsWindows() ? WindowsProcessInfo.ParentOf(pid)
        : StatFields(pid) is [_, var ppid, ..] && int.TryParse(ppid, out var p) ? p : 0;

    static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    static string? TryReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
