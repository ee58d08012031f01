namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Finds a program on the PATH of a given environment (not only this process's), so the check matches what a child would see.</summary>
public static class ExecutableLocator
{
    public static string? Find(string name, IReadOnlyDictionary<string, string> environment)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        var path = environment.FirstOrDefault(kv => string.Equals(kv.Key, "PATH", StringComparison.OrdinalIgnoreCase)).Value ?? "";
        var extensions = OperatingSystem.IsWindows()
            ? (environment.GetValueOrDefault("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';').Prepend("")
            : [""];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var ext in extensions)
            {
                var candidate = Path.Combine(dir, name + ext);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
