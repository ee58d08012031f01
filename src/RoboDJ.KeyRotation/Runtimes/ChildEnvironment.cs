using System.Collections;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The environment a started app gets. Every ROBODJ_* variable is removed: compose interpolation and python-dotenv
/// both let an inherited value beat .env, which would silently start the app on a stale key.
/// </summary>
public static class ChildEnvironment
{
    public const string Prefix = "ROBODJ_";

    /// <summary>The current process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(KeyComparer);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && e.Value is string v) result[k] = v;
        return result;
    }

    /// <summary><paramref name="source"/> without any ROBODJ_* variable.</summary>
    public static IReadOnlyDictionary<string, string> Stripped(IReadOnlyDictionary<string, string> source) =>
        source.Where(kv => !IsRoboDj(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, KeyComparer);

    /// <summary>
    /// Overrides for a launcher that inherits this process's environment (CliWrap merges them): the child ends up with
    /// exactly <c>Stripped(source)</c>. A null value removes the variable.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> AsOverrides(IReadOnlyDictionary<string, string> source)
    {
        var wanted = Stripped(source);
        var overrides = new Dictionary<string, string?>(KeyComparer);
        foreach (var name in Current().Keys) overrides[name] = null;
        foreach (var name in source.Keys) overrides[name] = null;
        foreach (var (name, value) in wanted) overrides[name] = value;
        return overrides;
    }

    public static bool IsRoboDj(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    static StringComparer KeyComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
