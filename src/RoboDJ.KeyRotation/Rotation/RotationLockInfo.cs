using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// What the lock file says about its holder. No secret. <see cref="Token"/> is the fencing token: one more than the
/// last one issued in this folder, so the journal shows which holder wrote each line and a holder knows it was fenced
/// when the file no longer carries its own.
/// </summary>
public sealed record RotationLockInfo(
    [property: JsonPropertyName("holder")] string Holder,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("acquired")] DateTimeOffset Acquired,
    [property: JsonPropertyName("heartbeat")] DateTimeOffset Heartbeat,
    [property: JsonPropertyName("token")] long Token = 0);
