using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// What the census found: counts of fields per key, every undecryptable field by name, and the first few fields of each
/// key (<see cref="Examples"/>) for messages. A field under a working key is a count, not a record, so a census of a
/// million fields stays small.
/// </summary>
public sealed class CensusReport
{
    readonly KeyRing ring;
    readonly int[] perKey;

    internal CensusReport(KeyRing ring, CensusTally tally, int filesScanned)
    {
        this.ring = ring;
        perKey = tally.PerKey;
        Examples = tally.Examples;
        Undecryptable = tally.Undecryptable;
        FilesScanned = filesScanned;
    }

    public int FilesScanned { get; }

    /// <summary>Every encrypted field, decryptable or not.</summary>
    public int Total => perKey.Sum() + Undecryptable.Count;
    /// <summary>Fields some key of the ring opens.</summary>
    public int Decryptable => perKey.Sum();

    /// <summary>Fields opened by the ring's first key (V1 in a [V1, V2] ring).</summary>
    public int UnderPrimary => perKey[0];
    /// <summary>Fields opened only by a later key (V2 in a [V1, V2] ring).</summary>
    public int UnderSecondary => perKey.Skip(1).Sum();
    /// <summary>Every field no key opens, in file order: each one needs a person's decision, so each is named.</summary>
    public IReadOnlyList<CensusFinding> Undecryptable { get; }

    /// <summary>
    /// The first <see cref="CensusTally.ExamplesPerKey"/> fields under each key position and the first as many
    /// undecryptable ones, in file order: what a message names. Counts come from the properties above, never from this.
    /// </summary>
    public IReadOnlyList<CensusFinding> Examples { get; }

    /// <summary>Fields per key fingerprint, every key of the ring listed even at 0.</summary>
    public IReadOnlyDictionary<Fingerprint, int> CountsByKey =>
        ring.Keys.DistinctBy(k => k.Fingerprint).ToDictionary(k => k.Fingerprint, CountUnder);

    public int CountUnder(FernetKey key) => CountUnder(key.Fingerprint);

    // A field is counted under the first position that opens it; a key listed twice takes both positions' counts.
    int CountUnder(Fingerprint key) => ring.Keys.Select((k, i) => k.Fingerprint == key ? perKey[i] : 0).Sum();

    /// <summary>e.g. "12 encrypted fields in 4 files: 10 under sha256:1a2b.. (V1), 2 under sha256:3c4d.. (V2), 0 undecryptable".</summary>
    public string Summary
    {
        get
        {
            var perKeyText = ring.Keys.Select((k, i) => $"{CountUnder(k)} under {k.Fingerprint} (V{i + 1})");
            return $"{Total} encrypted fields in {FilesScanned} files: {string.Join(", ", perKeyText)}, {Undecryptable.Count} undecryptable";
        }
    }

    /// <summary>Throws <see cref="UndecryptableFieldException"/> naming each field no key opens, and <paramref name="fix"/> when the caller knows a better one.</summary>
    public void ThrowIfUndecryptable(string? fix = null)
    {
        var lost = Undecryptable;
        if (lost.Count > 0) throw new UndecryptableFieldException(lost, string.Join(", ", ring.Keys.Select(k => k.Fingerprint.ToString())), fix);
    }
}
