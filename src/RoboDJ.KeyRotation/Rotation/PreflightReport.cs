using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>What Preflight saw: the keys (fingerprints shown only), the census, and warnings that did not block.</summary>
public sealed record PreflightReport(KeySlots Keys, CensusReport Census, IReadOnlyList<string> Warnings)
{
    public string Summary =>
        $"V1 {Keys.Primary?.Fingerprint.ToString() ?? "absent"}, V2 {Keys.Secondary?.Fingerprint.ToString() ?? "absent"}; {Census.Summary}";
}
