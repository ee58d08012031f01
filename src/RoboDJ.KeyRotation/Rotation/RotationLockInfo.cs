using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>What the lock file says about its holder. No secret.</summary>
public sealed record RotationLockInfo(
    [property: JsonPropertyName("holder")] string Holder,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("acquired")] DateTimeOffset Acquired,
    [property: JsonPropertyName("heartbeat")] DateTimeOffset Heartbeat);
