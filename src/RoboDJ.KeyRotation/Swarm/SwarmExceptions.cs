using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Swarm;

/// <summary>The engine answers but is not a swarm manager: services and secrets need one.</summary>
public sealed class SwarmNotActiveException(string address, string state)
    : RuntimeException($"the Docker engine at {address} is not a swarm manager (swarm state: {state}). Fix: run the rotation on a manager node, or `docker swarm init --advertise-addr 127.0.0.1` for a single-node swarm.");

public sealed class SwarmServiceNotFoundException(string service, string address)
    : RuntimeException($"no swarm service named '{service}' on the engine at {address}. Fix: check --swarm-service against `docker service ls`.")
{
    public string Service { get; } = service;
}

/// <summary>The service mounts no secret at a target the rotation must replace, so a rollout would not reach the app.</summary>
public sealed class SwarmSecretTargetMissingException(string service, string target)
    : RuntimeException($"swarm service '{service}' mounts no secret at /run/secrets/{target}. Fix: `docker service update --secret-add source=<secret>,target={target} {service}` once, or set --swarm-v1-target / --swarm-v2-target to the targets it uses.");

/// <summary>Swarm paused or rolled back the update (a task failed to start with the new secrets).</summary>
public sealed class SwarmRolloutFailedException(string service, string state, string? message)
    : RuntimeException($"the rollout of swarm service '{service}' stopped: update state '{state}'{(string.IsNullOrEmpty(message) ? "" : $" ({message})")}. " +
                       $"Fix: look at `docker service ps --no-trunc {service}` for the failing task, then run ResumePhased or RollbackPhased.")
{
    public string State { get; } = state;
}

public sealed class SwarmRolloutTimeoutException(string service, TimeSpan timeout, string pending)
    : RuntimeException($"swarm service '{service}' did not converge within {timeout.TotalSeconds:0} s: {pending}. " +
                       $"Fix: check `docker service ps {service}`; raise --swarm-rollout-timeout if the replicas are just slow, then run ResumePhased.");

/// <summary>A secret object has the name the rotation would give this key, but was not made by it for this key.</summary>
public sealed class SwarmSecretNameTakenException(string name, string fingerprint)
    : RuntimeException($"swarm secret '{name}' exists but is not the rotation's copy of key {fingerprint} (its fingerprint label differs or is missing). " +
                       $"Fix: `docker secret rm {name}` if nothing uses it, or set --swarm-secret-prefix to another prefix.");
