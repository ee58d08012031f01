namespace RoboDJ.KeyRotation.Phased;

/// <summary>Journal facts only the phased rotation writes (fingerprints, names, counts; never a key).</summary>
public static class PhasedFacts
{
    public const string Protocol = "protocol";
    public const string ProtocolName = "phased";
    public const string Replicas = "replicas";
    public const string Writer = "writer";
    /// <summary>On a Rollback Ended line: the phase that was reversed.</summary>
    public const string Undone = "undone";
    public const string Retired = "retired";
    /// <summary>On the RolledBack line of a rollback from phase 2 on: the new key, kept as V2 behind the old V1.</summary>
    public const string KeptSecondary = "kept_v2";
}
