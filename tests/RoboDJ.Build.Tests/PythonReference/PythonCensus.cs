using System.Text.Json.Serialization;

namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>
/// What reference_tools.py census reports: .env as python-dotenv reads it, and the fields as MultiFernet opens them,
/// by fingerprint and JSON path only, never a value. The independent census the end-to-end tests check us against.
/// </summary>
public sealed record PythonCensus(
    [property: JsonPropertyName("values")] Dictionary<string, string> ValueFingerprints,
    [property: JsonPropertyName("v1")] string V1,
    [property: JsonPropertyName("v2")] string? V2,
    [property: JsonPropertyName("fields")] int Fields,
    [property: JsonPropertyName("under_v1_alone")] int UnderV1Alone,
    [property: JsonPropertyName("under_ring")] int UnderRing,
    [property: JsonPropertyName("by_file")] Dictionary<string, int> UnderRingByFile,
    [property: JsonPropertyName("undecryptable")] List<string> Undecryptable);
