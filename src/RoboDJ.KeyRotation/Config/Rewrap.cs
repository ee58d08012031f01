using System.Text;
using RoboDJ.KeyRotation.Secrets;
using Serilog;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Re-encrypts every encrypted field of the scope's config JSON under the ring's primary key, keeping each token's timestamp
/// and its "enc:" prefix, and writes each changed file atomically.
/// Formatting: only the characters between the quotes of a rewrapped value change. The reader gives each token's byte
/// offsets, so the file is spliced rather than re-serialised, and indentation, key order, spacing, number spelling, BOM
/// and line endings stay byte for byte. The one visible difference: a token written with JSON escapes (\u0067AAAA...)
/// comes back as plain characters, which a Fernet token never needs escaped.
/// Fields opened by the primary are left alone, so a second run rewraps 0; fields no key opens are counted and left.
/// </summary>
public static class Rewrap
{
    public static RewrapReport Run(DeploymentScope scope, KeyRing ring, bool dryRun = false)
    {
        if (!dryRun) Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"rewrap the config fields of {scope.Describe()}");
        int rewrapped = 0, current = 0;
        var undecryptable = new List<CensusFinding>();
        var written = new List<string>();
        foreach (var (path, relative) in scope.ConfigJsonFiles().Select(f => (f.Path, f.ConfigRelative)))
        {
            var bytes = File.ReadAllBytes(path);
            var fields = EncryptedFieldScanner.Scan(bytes, relative);
            if (fields.Count == 0) continue;
            var output = new MemoryStream(bytes.Length);
            var copied = 0;
            var changed = 0;
            foreach (var field in fields)
            {
                var opener = ring.TryDecrypt(field.Token, out var plaintext);
                if (opener is null)
                {
                    undecryptable.Add(Census.Classify(ring, relative, field));
                    continue;
                }
                if (ReferenceEquals(opener, ring.Primary) || opener.Equals(ring.Primary)) { current++; continue; }
                var timestamp = FernetToken.Inspect(field.Token)!.Value.Timestamp;
                var token = FernetToken.Encrypt(ring.Primary, plaintext, timestamp);
                output.Write(bytes, copied, field.ContentStart - copied);
                output.Write(Encoding.ASCII.GetBytes(field.Prefixed ? EncryptedFieldScanner.Prefix + token : token));
                copied = field.ContentStart + field.ContentLength;
                changed++;
            }
            if (changed == 0) continue;
            output.Write(bytes, copied, bytes.Length - copied);
            rewrapped += changed;
            written.Add(relative);
            if (!dryRun) AtomicFile.WriteAllBytes(path, output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        var report = new RewrapReport(rewrapped, current, undecryptable, written, dryRun);
        Log.Information("Rewrap of {ConfigRoot} under {Primary}: {Summary}", scope.Paths.Config, ring.Primary.Fingerprint.ToString(), report.Summary);
        return report;
    }
}
