using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Counts of fields per key position, the undecryptable fields each named, and the first few fields of each key as
/// examples for messages: a million fields under V1 are a number, not a million records.
/// </summary>
sealed class CensusTally(int keys)
{
    public const int ExamplesPerKey = 10;

    public int[] PerKey { get; } = new int[keys];
    public List<CensusFinding> Examples { get; } = [];
    public List<CensusFinding> Undecryptable { get; } = [];
    readonly int[] examplesPerKey = new int[keys];
    int undecryptableExamples;

    /// <summary>Whether a field under this key position (-1: none) is kept as a record, so worth making one.</summary>
    public bool Keeps(int keyIndex) => keyIndex < 0 || examplesPerKey[keyIndex] < ExamplesPerKey;

    /// <summary>Counts a field that <see cref="Keeps"/> said is not kept.</summary>
    public void Count(int keyIndex)
    {
        PerKey[keyIndex]++;
        examplesPerKey[keyIndex]++;
    }

    public void Add(CensusFinding finding)
    {
        if (finding.KeyIndex is { } index) PerKey[index]++;
        else Undecryptable.Add(finding);
        KeepAsExample(finding);
    }

    /// <summary>Adds another file's tally after this one's, as if its fields had been counted here in order.</summary>
    public void Append(CensusTally other)
    {
        for (var i = 0; i < PerKey.Length; i++) PerKey[i] += other.PerKey[i];
        Undecryptable.AddRange(other.Undecryptable);
        foreach (var example in other.Examples) KeepAsExample(example);
    }

    void KeepAsExample(CensusFinding finding)
    {
        ref var kept = ref finding.KeyIndex is { } index ? ref examplesPerKey[index] : ref undecryptableExamples;
        if (kept++ < ExamplesPerKey) Examples.Add(finding);
    }

    /// <summary>A finding for a field that is known to be a token, with the key position that opened it (-1: none).</summary>
    public static CensusFinding Finding(KeyRing ring, string file, in EncryptedField field, int keyIndex, long unixSeconds) =>
        new(file, field.JsonPath, keyIndex < 0 ? null : ring.Keys[keyIndex].Fingerprint, keyIndex < 0 ? null : keyIndex, field.Prefixed,
            DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
}
