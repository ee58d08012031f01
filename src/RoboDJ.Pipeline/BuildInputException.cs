namespace RoboDJ.Pipeline;

/// <summary>
/// Bad input from the operator (CLI, parameters files, requirements). Shown as one line, exit code 2, and no stack trace
/// unless --verbosity verbose. Targets may throw it too.
/// </summary>
public class BuildInputException(string message, Exception? inner = null) : Exception(message, inner);
