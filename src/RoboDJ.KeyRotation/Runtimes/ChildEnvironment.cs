using System.Collections;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The programs the rotation starts, each of which gets only the environment its kind needs.</summary>
public enum ChildProcess
{
    /// <summary>The app's launcher, and so the app: what a program needs to run, Python's and .NET's settings, the desktop session.</summary>
    App,
    /// <summary>docker compose (v2 plugin or v1): what a program needs to run, and DOCKER_* and COMPOSE_*.</summary>
    Compose,
    /// <summary>config/scripts/startup_safety.py --snapshot: what a program needs to run, and Python's settings.</summary>
    Script,
}

/// <summary>
/// The environment of every process the rotation starts, by allow-list: the operator's shell may export the keys, a
/// GitHub token, the dashboard password or the webhook URL, and none of them belongs to a child. Every ROBODJ_*
/// variable is left out as well: compose interpolation and python-dotenv both let an inherited value beat .env, which
/// would silently start the app on a stale key. What an app needs beyond this list belongs in its launcher script.
/// </summary>
public static class ChildEnvironment
{
    public const string Prefix = "ROBODJ_";

    // What any program needs to find its tools, its user, its locale, its time zone and its temp folder.
    static readonly string[] Everyone =
    [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "XDG_RUNTIME_DIR",
        // Windows: the system's own folders, without which cmd.exe, python and dotnet do not start.
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "USERPROFILE", "USERNAME", "USERDOMAIN", "HOMEDRIVE", "HOMEPATH",
        "APPDATA", "LOCALAPPDATA", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "CommonProgramFiles",
        "CommonProgramFiles(x86)", "CommonProgramW6432", "PUBLIC", "ALLUSERSPROFILE", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
    ];

    static readonly string[] EveryonesPrefixes = ["LC_"];

    static readonly Dictionary<ChildProcess, (string[] Names, string[] Prefixes)> ByKind = new()
    {
        [ChildProcess.App] = (["PYTHONPATH", "PYTHONHOME", "PYTHONIOENCODING", "PYTHONUTF8", "VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY",
            "DBUS_SESSION_BUS_ADDRESS"], ["DOTNET_"]),
        [ChildProcess.Compose] = ([], ["DOCKER_", "COMPOSE_"]),
        [ChildProcess.Script] = (["PYTHONPATH", "PYTHONHOME", "PYTHONIOENCODING", "PYTHONUTF8", "VIRTUAL_ENV"], []),
    };

    /// <summary>The current process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(KeyComparer);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && e.Value is string v) result[k] = v;
        return result;
    }

    /// <summary>What a child of this kind gets of <paramref name="source"/>: the allow-list, never a ROBODJ_* variable.</summary>
    public static IReadOnlyDictionary<string, string> For(ChildProcess kind, IReadOnlyDictionary<string, string> source) =>
        source.Where(kv => IsAllowed(kind, kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, KeyComparer);

    /// <summary>
    /// Overrides for a runner that starts from this process's environment (CliWrap merges them): the child ends up with
    /// exactly <c>For(kind, source)</c>. A null value removes the variable.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> AsOverrides(ChildProcess kind, IReadOnlyDictionary<string, string> source)
    {
        var overrides = new Dictionary<string, string?>(KeyComparer);
        foreach (var name in Current().Keys) overrides[name] = null;
        foreach (var name in source.Keys) overrides[name] = null;
        foreach (var (name, value) in For(kind, source)) overrides[name] = value;
        return overrides;
    }

    public static bool IsRoboDj(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    static bool IsAllowed(ChildProcess kind, string name)
    {
        if (IsRoboDj(name)) return false;
        var (names, prefixes) = ByKind[kind];
        return Everyone.Concat(names).Contains(name, KeyComparer)
               || EveryonesPrefixes.Concat(prefixes).Any(p => name.StartsWith(p, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
    }

    static StringComparer KeyComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
