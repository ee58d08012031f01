namespace RoboDJ.KeyRotation.Swarm;

/// <summary>One secret a service mounts: the object (id, name) and the file it appears as in /run/secrets/.</summary>
public sealed record SwarmSecretMount(string Target, string SecretId, string SecretName);
