namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ComposeCommandFailedException(string command, int exitCode, string stderr)
    : RuntimeException($"`{command}` exited with code {exitCode}: {Tail(stderr)}. Fix: run the same command by hand in the deployment root to see the whole error.")
{
    public string Command { get; } = command;
    public int ExitCode { get; } = exitCode;
    /// <summary>What compose said on stderr, redacted.</summary>
    public string Error { get; } = Pipeline.SecretRedactor.Redact(stderr.Trim());

    static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(10));
    }
}
