namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Encrypted fields that no key of the ring opens: rotating now would lose them for good. The fix never suggests an
/// option that would make the loss permanent: the key they need is in a snapshot (or a recovery file) until it is put back.
/// </summary>
public sealed class UndecryptableFieldException(IReadOnlyList<CensusFinding> fields, string keys, string? fix = null)
    : Exception($"{fields.Count} encrypted field(s) open with none of the keys ({keys}): " +
                string.Join(", ", fields.Take(5).Select(f => $"{f.File} {f.JsonPath}")) + (fields.Count > 5 ? ", ..." : "") +
                ". Fix: " + (fix ?? $"put the key they were written with back into ROBODJ_SECRET_V2_KEY (the last snapshot's .env, {Snapshots.SnapshotStore.DotEnvCopy}, " +
                "holds the keys from before the rotation; `./build.sh Rollback` restores them), or re-enter those values in the app."))
{
    public IReadOnlyList<CensusFinding> Fields { get; } = fields;
}
