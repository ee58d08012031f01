namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Where a process comes from, as the OS tells it: its executable, its working folder and its command line (each null
/// when it cannot be read). A name can be given to any process (`exec -a`); these three are what ties one to a
/// deployment.
/// </summary>
public sealed record ProcessOrigin(string? Executable, string? WorkingFolder, string? CommandLine)
{
    static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Whether the executable or the working folder lies in <paramref name="folder"/>, or the command line names a path in it.</summary>
    public bool PointsInto(string folder) => Folders(folder).Any(f =>
        IsIn(Executable, f) || IsIn(WorkingFolder, f) || (CommandLine is { } line && NamesPathIn(line, f)));

    /// <summary>For a refusal: what the process showed instead.</summary>
    public string Describe() =>
        $"its executable is {Executable ?? "(unreadable)"}, its working folder {WorkingFolder ?? "(unreadable)"}, " +
        $"its command line {(CommandLine is null ? "(unreadable)" : $"\"{CommandLine.Replace('\0', ' ').Trim()}\"")}";

    /// <summary>The folder as given and as it really is on disk (a root under a symlinked /tmp is read back resolved from /proc).</summary>
    static IEnumerable<string> Folders(string folder)
    {
        var full = Trimmed(Path.GetFullPath(folder));
        yield return full;
        if (RealPath(full) is { } real && !string.Equals(real, full, PathComparison)) yield return real;
    }

    static bool IsIn(string? path, string folder)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path)) return false;
        var full = Trimmed(Path.GetFullPath(path));
        return string.Equals(full, folder, PathComparison) || full.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison)
            || (OperatingSystem.IsWindows() && full.StartsWith(folder + '/', PathComparison));
    }

    /// <summary>
    /// A mention of <paramref name="folder"/> as a whole path or a path's start: what comes before it opens an argument
    /// (start, space, NUL between Linux's argv entries, a quote, '='), what comes after it ends one or goes on below it.
    /// </summary>
    static bool NamesPathIn(string commandLine, string folder)
    {
        for (var at = commandLine.IndexOf(folder, PathComparison); at >= 0; at = commandLine.IndexOf(folder, at + 1, PathComparison))
        {
            var before = at == 0 ? ' ' : commandLine[at - 1];
            var end = at + folder.Length;
            var after = end == commandLine.Length ? ' ' : commandLine[end];
            if (before is ' ' or '\0' or '"' or '\'' or '=' && (after is ' ' or '\0' or '"' or '\'' || after == Path.DirectorySeparatorChar || after == '/'))
                return true;
        }
        return false;
    }

    static string Trimmed(string path) => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, '/') is { Length: > 0 } t ? t : path : path;

    static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            var current = "/";
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var next = Path.Combine(current, part);
                var info = new DirectoryInfo(next);
                current = info.LinkTarget is null ? next : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
            }
            return Trimmed(current);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
