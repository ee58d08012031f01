using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Counts the encrypted fields of a deployment's config folder per key: every JSON string value, at any depth, that is a
/// Fernet token (optionally "enc:"-prefixed), in every *.json except config/key_rotation/**, config/incidents/** and
/// snapshot folders. Reports where each one is and which key opens it, never the value.
/// </summary>
public static class Census
{
    public static CensusReport Take(string configRoot, KeyRing ring)
    {
        var findings = new List<CensusFinding>();
        var files = 0;
        foreach (var (path, relative) in ConfigTree.JsonFiles(configRoot))
        {
            files++;
            foreach (var field in EncryptedFieldScanner.Scan(File.ReadAllBytes(path), relative))
                findings.Add(Classify(ring, relative, field));
        }
        var report = new CensusReport(ring, findings, files);
        Log.Debug("Census of {ConfigRoot}: {Summary}", configRoot, report.Summary);
        return report;
    }

    internal static CensusFinding Classify(KeyRing ring, string file, EncryptedField field)
    {
        var timestamp = FernetToken.Inspect(field.Token)!.Value.Timestamp;
        for (var i = 0; i < ring.Keys.Count; i++)
            if (FernetToken.TryDecrypt(ring.Keys[i], field.Token, out _))
                return new CensusFinding(file, field.JsonPath, ring.Keys[i].Fingerprint, i, field.Prefixed, timestamp);
        return new CensusFinding(file, field.JsonPath, null, null, field.Prefixed, timestamp);
    }
}
