using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// A failure of the runtime that the operator can fix. Every message names the thing and the fix, and passes
/// through <see cref="SecretRedactor"/> because it may quote container logs or command output.
/// </summary>
public abstract class RuntimeException(string message, Exception? inner = null)
    : Exception(SecretRedactor.Redact(message), inner);
