using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Config;

/// <summary>What the census found: each encrypted field with the key that opens it, and counts per key.</summary>
public sealed class CensusReport(KeyRing ring, IReadOnlyList<CensusFinding> findings, int filesScanned)
{
    public IReadOnlyList<CensusFinding> Findings { get; } = findings;
    public int FilesScanned { get; } = filesScanned;

    /// <summary>Fields opened by the ring's first key (V1 in a [V1, V2] ring).</summary>
    public int UnderPrimary => Findings.Count(f => f.KeyIndex == 0);
    /// <summary>Fields opened only by a later key (V2 in a [V1, V2] ring).</summary>
    public int UnderSecondary => Findings.Count(f => f.KeyIndex > 0);
    public IReadOnlyList<CensusFinding> Undecryptable => Findings.Where(f => !f.Decryptable).ToList();

    /// <summary>Fields per key fingerprint, every key of the ring listed even at 0.</summary>
    public IReadOnlyDictionary<Fingerprint, int> CountsByKey =>
        ring.Keys.DistinctBy(k => k.Fingerprint).ToDictionary(k => k.Fingerprint, k => Findings.Count(f => f.Key == k.Fingerprint));

    public int CountUnder(FernetKey key) => Findings.Count(f => f.Key == key.Fingerprint);

    /// <summary>e.g. "12 encrypted fields in 4 files: 10 under sha256:1a2b.. (V1), 2 under sha256:3c4d.. (V2), 0 undecryptable".</summary>
    public string Summary
    {
        get
        {
            var perKey = ring.Keys.Select((k, i) => $"{CountUnder(k)} under {k.Fingerprint} (V{i + 1})");
            return $"{Findings.Count} encrypted fields in {FilesScanned} files: {string.Join(", ", perKey)}, {Undecryptable.Count} undecryptable";
        }
    }

    /// <summary>Throws <see cref="UndecryptableFieldException"/> naming each field no key opens.</summary>
    public void ThrowIfUndecryptable()
    {
        var lost = Undecryptable;
        if (lost.Count > 0) throw new UndecryptableFieldException(lost, string.Join(", ", ring.Keys.Select(k => k.Fingerprint.ToString())));
    }
}
