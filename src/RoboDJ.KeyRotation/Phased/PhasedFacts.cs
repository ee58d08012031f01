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
}
