namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Start did not see everything up within its timeout. Carries the log tail of what was still waited for.</summary>
public sealed class RuntimeStartTimeoutException(string what, TimeSpan timeout, string waitingFor, string lastLogLines)
    : RuntimeException($"{what} was not up within {timeout.TotalSeconds:0.#} s; still waiting for: {waitingFor}. Fix: check the log below; if it is only slow, raise the start/health timeout in .nuke/parameters.<env>.json.{(lastLogLines.Length > 0 ? "\n" + lastLogLines : "")}")
{
    public string WaitingFor { get; } = waitingFor;
    public string LastLogLines { get; } = RoboDJ.Pipeline.SecretRedactor.Redact(lastLogLines);
}
