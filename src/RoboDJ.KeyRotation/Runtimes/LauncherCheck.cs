namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Preflight's proof that Start can run the launcher: a folder, an unreadable file, or an executable script whose
/// interpreter (its #! line) does not exist would only fail after Stop took the app down and the keys moved.
/// </summary>
public static class LauncherCheck
{
    public static void ThrowIfNotRunnable(string launcher, IReadOnlyDictionary<string, string> environment)
    {
        if (Directory.Exists(launcher)) throw new LauncherNotRunnableException(launcher, "it is a folder, not a script or program");
        if (!File.Exists(launcher)) throw new LauncherMissingException(launcher);
        if (OperatingSystem.IsWindows()) return;
        string firstLine;
        // Through the one input reader: a FIFO planted as the launcher is refused as one instead of blocking Preflight.
        // No size limit, since a launcher may be a program; only its first line is read.
        try
        {
            using var reader = new StreamReader(Pipeline.IO.InputFile.Open(launcher, long.MaxValue));
            firstLine = reader.ReadLine() ?? "";
        }
        catch (Pipeline.IO.InputFileException e) { throw new LauncherNotRunnableException(launcher, e.Problem); }
        catch (UnauthorizedAccessException) { throw new LauncherNotRunnableException(launcher, "this user cannot read it"); }
        // Without the execute bit the launcher runs through /bin/sh, which reads a #! line as a comment.
        if (!firstLine.StartsWith("#!", StringComparison.Ordinal) || !File.GetUnixFileMode(launcher).HasFlag(UnixFileMode.UserExecute)) return;
        var words = firstLine[2..].Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new LauncherNotRunnableException(launcher, "line 1 is \"#!\" with no interpreter");
        var interpreter = words[0];
        if (!File.Exists(interpreter))
            throw new LauncherNotRunnableException(launcher, $"line 1 names the interpreter {interpreter}, which does not exist");
        if (Path.GetFileName(interpreter) == "env" && words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) is { } program
            && ExecutableLocator.Find(program, environment) is null)
            throw new LauncherNotRunnableException(launcher, $"line 1 runs `{program}` through env, and no {program} is on the PATH the app gets");
    }

    /// <summary>
    /// Start appends the app's output to the launcher log through the shell's >>, which follows links and waits on a FIFO:
    /// the log must be a regular file (or not there yet) whose real path lies in the deployment root.
    /// </summary>
    public static void ThrowIfLogUnsafe(string? log, string root)
    {
        if (log is null) return;
        string real;
        try { real = Pipeline.IO.RealPath.Of(log); }
        catch (IOException e) { throw new LauncherLogRefusedException(log, e.Message); }
        var realRoot = Pipeline.IO.RealPath.Of(root);
        if (!Pipeline.IO.RealPath.IsAtOrBelow(real, realRoot))
            throw new LauncherLogRefusedException(log, $"it leads to {real}, outside the deployment root {realRoot}");
        var kind = Pipeline.IO.FileStatus.Of(real).Kind;
        if (kind is not (Pipeline.IO.FileKind.Missing or Pipeline.IO.FileKind.Regular))
            throw new LauncherLogRefusedException(log, $"{log} {Pipeline.IO.FileStatus.Describe(kind)}");
    }
}
