using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>One encrypted field: where it is and which key opens it (null: none). Never its value.</summary>
/// <param name="File">Relative to the config folder, with '/' separators.</param>
/// <param name="JsonPath">e.g. <c>$.stations[2].api_token</c>.</param>
/// <param name="KeyIndex">Position in the key ring of the key that opens it: 0 is V1, 1 is V2.</param>
public sealed record CensusFinding(string File, string JsonPath, Fingerprint? Key, int? KeyIndex, bool Prefixed, DateTimeOffset Timestamp)
{
    public bool Decryptable => Key is not null;
}
