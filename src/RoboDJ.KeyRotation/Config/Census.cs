using System.Buffers;
using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Counts the encrypted fields of a deployment's config folder per key: every JSON string value, at any depth, that is a
/// Fernet token (optionally "enc:"-prefixed), in every config JSON of the <see cref="DeploymentScope"/>. Reports where
/// each undecryptable one is and which key opens the others, never the value.
/// Each file is read once in chunks, files side by side and a chunk's fields in parallel, so memory stays at a few
/// buffers whatever the tree's size.
/// </summary>
public static class Census
{
    /// <param name="only">A subset of the scope's config files (e.g. those the app's save rewrote); null: all of them.</param>
    /// <param name="cancellationToken">Honoured between chunks of a file, so a census of a big tree stops within moments.</param>
    public static CensusReport Take(DeploymentScope scope, KeyRing ring, IReadOnlyList<ScopeFile>? only = null, CancellationToken cancellationToken = default)
    {
        var files = only ?? scope.ConfigJsonFiles();
        var tally = new CensusTally(ring.Keys.Count);
        foreach (var fileTally in ParallelChunks.Map(files, file => TakeFile(file, ring, cancellationToken)))
            tally.Append(fileTally);
        var report = new CensusReport(ring, tally, files.Count);
        Log.Debug("Census of {ConfigRoot}: {Summary}", scope.Paths.Config, report.Summary);
        return report;
    }

    static CensusTally TakeFile(ScopeFile file, KeyRing ring, CancellationToken cancellationToken)
    {
        var tally = new CensusTally(ring.Keys.Count);
        EncryptedFieldScanner.Scan(file.Path, file.ConfigRelative, chunk =>
        {
            var count = chunk.Fields.Count;
            var keyIndex = ArrayPool<int>.Shared.Rent(count);
            var seconds = ArrayPool<long>.Shared.Rent(count);
            try
            {
                ParallelChunks.For(count, (from, to) =>
                {
                    for (var i = from; i < to; i++)
                        keyIndex[i] = FieldCrypto.Classify(ring, chunk.TokenOf(chunk.Fields[i]), out seconds[i]);
                });
                for (var i = 0; i < count; i++)
                {
                    var key = keyIndex[i];
                    if (key == FieldCrypto.NotAToken) continue;
                    if (tally.Keeps(key)) tally.Add(CensusTally.Finding(ring, file.ConfigRelative, chunk.Fields[i], key, seconds[i]));
                    else tally.Count(key);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(keyIndex);
                ArrayPool<long>.Shared.Return(seconds);
            }
        }, cancellationToken);
        return tally;
    }
}
