using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The fingerprint of a key a running container holds in its environment (null: the variable is not set).</summary>
public sealed record ServiceKey(string Service, string ContainerId, Fingerprint? Key);
