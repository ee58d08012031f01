using System.Buffers;
using Microsoft.Win32.SafeHandles;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;
using Serilog;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Re-encrypts every encrypted field of the scope's config JSON under the ring's primary key, keeping each token's timestamp
/// and its "enc:" prefix, and writes each changed file atomically.
/// Formatting: only the characters between the quotes of a rewrapped value change. The reader gives each token's byte
/// offsets, so the file is spliced rather than re-serialised, and indentation, key order, spacing, number spelling, BOM
/// and line endings stay byte for byte. The one visible difference: a token written with JSON escapes (\u0067AAAA...)
/// comes back as plain characters, which a Fernet token never needs escaped.
/// Fields opened by the primary are left alone, so a second run rewraps 0; fields no key opens are counted and left.
/// Streaming: each file is read once in chunks and the spliced bytes go to the atomic temp file as they come; the temp
/// file is only started at the first field that changes (copying the bytes before it), so a file with nothing to do is
/// never written. Files run side by side, and a chunk's fields are encrypted in parallel; the output keeps their order.
/// A file that fails stops only itself; each file written is whole, its fields under the primary.
/// </summary>
public static class Rewrap
{
    /// <param name="only">A subset of the scope's config files (those the app's save did not rewrite), by their paths; null: all of them.</param>
    public static RewrapReport Run(DeploymentScope scope, KeyRing ring, bool dryRun = false, IReadOnlyList<ScopeFile>? only = null)
    {
        if (!dryRun) Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"rewrap the config fields of {scope.Describe()}");
        // Walked now, as the scope resolves them now (after the snapshot: pinned to its links), whatever an earlier list said.
        var files = scope.ConfigJsonFiles();
        if (only is not null) files = files.Where(f => only.Any(o => o.Relative == f.Relative)).ToArray();
        if (!dryRun) RequireSpace(files);
        var isPrimary = ring.Keys.Select(k => ReferenceEquals(k, ring.Primary) || k.Equals(ring.Primary)).ToArray();
        var results = ParallelChunks.Map(files, file => RewrapFile(file, ring, isPrimary, dryRun));
        var report = new RewrapReport(results.Sum(r => r.Rewrapped), results.Sum(r => r.Current), results.SelectMany(r => r.Undecryptable).ToList(),
            results.Where(r => r.Rewrapped > 0).Select(r => r.File).ToList(), dryRun);
        Log.Information("Rewrap of {ConfigRoot} under {Primary}: {Summary}", scope.Paths.Config, ring.Primary.Fingerprint.ToString(), report.Summary);
        return report;
    }

    /// <summary>
    /// Room for the rewrap's temp files: files run side by side, one per core, each new copy beside its original until
    /// the rename, so each file system needs the largest of them at once (and a margin). Preflight asks it too.
    /// </summary>
    public static void RequireSpace(IReadOnlyList<ScopeFile> files)
    {
        var largest = files.Select(f => (Folder: Path.GetDirectoryName(f.Path)!, FileStatus.Of(f.Path).Size))
            .OrderByDescending(f => f.Size).Take(Environment.ProcessorCount);
        DiskSpace.Require(largest, $"the rewrap of {files.Count} config file(s)");
    }

    sealed record FileResult(string File, int Rewrapped, int Current, List<CensusFinding> Undecryptable);

    static FileResult RewrapFile(ScopeFile file, KeyRing ring, bool[] isPrimary, bool dryRun)
    {
        int rewrapped = 0, current = 0;
        var undecryptable = new List<CensusFinding>();
        AtomicReplacement? output = null;
        using var source = EncryptedFieldScanner.Open(file.Path);
        try
        {
            EncryptedFieldScanner.Scan(source, file.ConfigRelative, chunk =>
            {
                var count = chunk.Fields.Count;
                var keyIndex = ArrayPool<int>.Shared.Rent(count);
                var seconds = ArrayPool<long>.Shared.Rent(count);
                var written = ArrayPool<int>.Shared.Rent(count);
                var slot = ArrayPool<int>.Shared.Rent(count + 1);
                slot[0] = 0;
                for (var i = 0; i < count; i++) slot[i + 1] = slot[i] + FieldCrypto.RewrapCapacity(chunk.Fields[i].TokenLength);
                var tokens = ArrayPool<byte>.Shared.Rent(slot[count]);
                try
                {
                    ParallelChunks.For(count, (from, to) =>
                    {
                        for (var i = from; i < to; i++)
                            keyIndex[i] = FieldCrypto.Open(ring, chunk.TokenOf(chunk.Fields[i]), out seconds[i], isPrimary,
                                tokens.AsSpan(slot[i], slot[i + 1] - slot[i]), out written[i]);
                    });
                    var copied = 0;
                    for (var i = 0; i < count; i++)
                    {
                        var field = chunk.Fields[i];
                        if (keyIndex[i] == FieldCrypto.NotAToken) continue;
                        if (keyIndex[i] == FieldCrypto.NoKey) { undecryptable.Add(CensusTally.Finding(ring, file.ConfigRelative, field, FieldCrypto.NoKey, seconds[i])); continue; }
                        if (written[i] == 0) { current++; continue; }
                        rewrapped++;
                        if (dryRun) continue;
                        output ??= Begin(file.Path, source.SafeFileHandle, chunk.FileOffset);
                        output.Write(chunk.Bytes[copied..field.ContentStart]);
                        if (field.Prefixed) output.Write("enc:"u8);
                        output.Write(tokens.AsSpan(slot[i], written[i]));
                        copied = field.ContentStart + field.ContentLength;
                    }
                    output?.Write(chunk.Bytes[copied..]);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(tokens);
                    ArrayPool<int>.Shared.Return(keyIndex);
                    ArrayPool<long>.Shared.Return(seconds);
                    ArrayPool<int>.Shared.Return(written);
                    ArrayPool<int>.Shared.Return(slot);
                }
            });
            // Windows cannot rename over a file while a handle to it is open, even one that shares deletion.
            source.Dispose();
            output?.Commit();
        }
        finally { output?.Dispose(); }
        return new FileResult(file.ConfigRelative, rewrapped, current, undecryptable);
    }

    /// <summary>Starts the temp file with the bytes before the first chunk that changes, read again from the source.</summary>
    static AtomicReplacement Begin(string path, SafeFileHandle source, long upTo)
    {
        var output = AtomicReplacement.Begin(path);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (long at = 0; at < upTo;)
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, upTo - at)), at);
                if (read == 0) throw new IOException($"{path} became shorter while it was rewrapped; run the rotation again.");
                output.Write(buffer.AsSpan(0, read));
                at += read;
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return output;
    }
}
