namespace RoboDJ.KeyRotation.Config;

/// <summary>Encrypted fields that no key of the ring opens: rotating now would lose them for good.</summary>
public sealed class UndecryptableFieldException(IReadOnlyList<CensusFinding> fields, string keys)
    : Exception($"{fields.Count} encrypted field(s) open with none of the keys ({keys}): " +
                string.Join(", ", fields.Take(5).Select(f => $"{f.File} {f.JsonPath}")) + (fields.Count > 5 ? ", ..." : "") +
                ". Fix: restore the key they were written with into ROBODJ_SECRET_V2_KEY, re-enter those values in the app, or pass --allow-undecryptable to leave them as they are.")
{
    public IReadOnlyList<CensusFinding> Fields { get; } = fields;
}
