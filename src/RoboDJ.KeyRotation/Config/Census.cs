using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Counts the encrypted fields of a deployment's config folder per key: every JSON string value, at any depth, that is a
/// Fernet token (optionally "enc:"-prefixed), in every config JSON of the <see cref="DeploymentScope"/>. Reports where
/// each one is and which key opens it, never the value.
/// </summary>
public static class Census
{
    public static CensusReport Take(DeploymentScope scope, KeyRing ring)
    {
        var findings = new List<CensusFinding>();
        var files = 0;
        foreach (var file in scope.ConfigJsonFiles())
        {
            files++;
            foreach (var field in EncryptedFieldScanner.Scan(File.ReadAllBytes(file.Path), file.ConfigRelative))
                findings.Add(Classify(ring, file.ConfigRelative, field));
        }
        var report = new CensusReport(ring, findings, files);
        Log.Debug("Census of {ConfigRoot}: {Summary}", scope.Paths.Config, report.Summary);
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
