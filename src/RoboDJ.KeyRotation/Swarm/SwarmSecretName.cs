using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Swarm;

/// <summary>
/// Swarm secrets are immutable, so each key gets its own object, named after the key rather than the slot: the same key
/// moves from the V2 target to the V1 target between phases without a second copy. E.g. robodj_key_1a2b3c4d5e6f.
/// </summary>
public static class SwarmSecretName
{
    public const string DefaultPrefix = "robodj_key";

    /// <summary>Label on every secret object the rotation creates: the service it was made for.</summary>
    public const string ServiceLabel = "com.robodj.key-rotation.service";
    /// <summary>Label with the key's fingerprint (12 hex digits), so an object is found by key, whatever its name.</summary>
    public const string FingerprintLabel = "com.robodj.key-rotation.fingerprint";

    public static string For(FernetKey key, string prefix = DefaultPrefix) => $"{prefix}_{key.Fingerprint.Hex}";
}
