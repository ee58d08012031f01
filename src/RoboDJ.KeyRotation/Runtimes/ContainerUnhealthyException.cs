namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>A container of the project turned unhealthy or exited while Start waited for it.</summary>
public sealed class ContainerUnhealthyException(string service, string containerId, string state, string lastLogLines)
    : RuntimeException($"service '{service}' (container {containerId}) is {state} after start. Fix: read its log below, correct the deployment, then run Start again.\n--- last log lines of {service} ---\n{lastLogLines}")
{
    public string Service { get; } = service;
    public string ContainerId { get; } = containerId;
    public string LastLogLines { get; } = RoboDJ.Pipeline.SecretRedactor.Redact(lastLogLines);
}
