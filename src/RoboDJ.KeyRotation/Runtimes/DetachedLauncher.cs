using System.Diagnostics;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Starts the launcher so that it outlives the pipeline: on Unix in a new session (setsid, else a background
/// shell job) with no inherited terminal, its output to the launcher log; on Windows through `cmd /c` without a
/// console window. Either way it never holds the pipeline's own output open, so a CI step or a test reading that
/// output ends when the pipeline does, not when the app does.
/// Returns the pid of the process it launched (on Unix the detached launcher, which leads its own session), so the
/// caller knows the app before the app wrote any pid file.
/// </summary>
public static class DetachedLauncher
{
    // $1: the umask the build was started with (the app gets it back; the build's own is 077), or empty; $2: the log.
    const string UnixScript =
        "if [ -n \"$1\" ]; then umask \"$1\"; fi; log=\"$2\"; shift 2; " +
        "if command -v setsid >/dev/null 2>&1; then setsid \"$@\" </dev/null >>\"$log\" 2>&1 & " +
        "else \"$@\" </dev/null >>\"$log\" 2>&1 & fi; echo $!";

    public static int Start(string launcher, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string? logFile)
    {
        ProcessStartInfo psi;
        if (OperatingSystem.IsWindows()) psi = Windows(launcher, arguments);
        else psi = Unix(launcher, arguments, logFile);
        psi.WorkingDirectory = workingDirectory;
        psi.UseShellExecute = false;
        // Both redirected: the shell must not hold the pipeline's own output open (a CI step or a test reading it would wait).
        psi.RedirectStandardOutput = !OperatingSystem.IsWindows();
        psi.RedirectStandardError = !OperatingSystem.IsWindows();
        psi.Environment.Clear();
        foreach (var (name, value) in ChildEnvironment.For(ChildProcess.App, environment)) psi.Environment[name] = value;

        if (OperatingSystem.IsWindows())
        {
            using var launched = WindowsStandardHandles.WithoutInheritance(() => Process.Start(psi)) ?? throw new LauncherMissingException(launcher);
            return launched.Id;
        }
        using var process = Process.Start(psi) ?? throw new LauncherMissingException(launcher);
        // On Unix this waits only for the short-lived shell that forks the launcher off and prints its pid ($!).
        var printed = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000) || !Task.WhenAll(printed, errors).Wait(TimeSpan.FromSeconds(1)))
        {
            try { process.Kill(); } catch (InvalidOperationException) { } // our own child; it exited in the meantime
            throw new RuntimeStartTimeoutException($"the shell that detaches {launcher}", TimeSpan.FromSeconds(10), "the detaching shell to exit", "");
        }
        return int.TryParse(printed.Result.Trim(), out var pid) && pid > 0
            ? pid
            : throw new InvalidOperationException($"the shell that detaches {launcher} did not print the launcher's pid (got '{printed.Result.Trim()}'{(errors.Result.Trim() is { Length: > 0 } e ? $", and: {e}" : "")}).");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    static ProcessStartInfo Unix(string launcher, IReadOnlyList<string> arguments, string? logFile)
    {
        var psi = new ProcessStartInfo("/bin/sh");
        foreach (var a in (string[])["-c", UnixScript, "sh", Pipeline.IO.FileCreationMask.Inherited ?? "", logFile ?? "/dev/null"]) psi.ArgumentList.Add(a);
        // A script without the execute bit still runs, through sh.
        if (!File.GetUnixFileMode(launcher).HasFlag(UnixFileMode.UserExecute)) psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add(launcher);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }

    static ProcessStartInfo Windows(string launcher, IReadOnlyList<string> arguments)
    {
        var isBatch = Path.GetExtension(launcher).ToLowerInvariant() is ".bat" or ".cmd";
        var psi = new ProcessStartInfo(isBatch ? "cmd.exe" : launcher) { CreateNoWindow = true };
        if (isBatch) { psi.ArgumentList.Add("/c"); psi.ArgumentList.Add(launcher); }
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }
}
