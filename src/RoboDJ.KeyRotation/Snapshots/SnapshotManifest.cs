using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>
/// manifest.json of a snapshot: every file it holds, relative to the deployment root, with its SHA-256, and every link
/// the scope's walk went through with its final target (null in a manifest from before links were recorded).
/// </summary>
public sealed record SnapshotManifest(
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("files")] IReadOnlyList<SnapshotFile> Files,
    [property: JsonPropertyName("links")] IReadOnlyList<Config.ScopeLink>? Links = null);

/// <summary>One file as it was: bytes by hash, mode (octal) and, where the platform has them, owner and group.</summary>
public sealed record SnapshotFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("uid")] uint? Uid = null,
    [property: JsonPropertyName("gid")] uint? Gid = null);
