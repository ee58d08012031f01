using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Config.Oracle;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>
/// The streaming census and rewrap against the whole-file implementation they replaced (<see cref="WholeFileScanner"/>),
/// on generated JSON: the same fields at the same offsets at any chunk size, the same counts, and a rewrap that changes
/// exactly the bytes of the fields not under the primary.
/// </summary>
public sealed class StreamingCensusAndRewrapOracleTests
{
    static readonly FernetKey Next = FernetKey.Generate(), V1 = FernetKey.Generate(), V2 = FernetKey.Generate(), Stranger = FernetKey.Generate();
    static readonly FernetKey[] Writers = [V1, V2, Stranger, Next];

    public static TheoryData<int, int> SeedsAndChunkSizes() => [.. from seed in Enumerable.Range(1, 12) from size in new[] { 16, 97, 4096 } select (seed, size)];

    [Theory]
    [MemberData(nameof(SeedsAndChunkSizes))]
    public void The_streaming_scanner_finds_the_fields_the_whole_file_scanner_found_at_any_chunk_size(int seed, int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes(new RandomConfigJson(new Random(seed), Writers).Document(60));
        var expected = WholeFileScanner.Scan(bytes).Select(f => (f.JsonPath, f.Token, f.Prefixed, (long)f.ContentStart, f.ContentLength)).ToList();

        var found = new List<(string, string, bool, long, int)>();
        var seen = new MemoryStream();
        EncryptedFieldScanner.Scan(new MemoryStream(bytes), "generated.json", chunk =>
        {
            seen.Write(chunk.Bytes);
            foreach (var field in chunk.Fields)
                if (FernetToken.IsTokenText(chunk.TokenOf(field)))
                    found.Add((field.JsonPath, Encoding.ASCII.GetString(chunk.TokenOf(field)), field.Prefixed, chunk.FileOffset + field.ContentStart, field.ContentLength));
        }, chunkSize, TestContext.Current.CancellationToken);

        Assert.True(expected.Count > 20, $"seed {seed}: only {expected.Count} fields generated");
        Assert.Equal(expected, found);
        Assert.Equal(bytes, seen.ToArray());
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Census_counts_what_the_whole_file_census_counted(int seed)
    {
        using var dir = new TempDir("robodj-oracle");
        var (scope, files) = WriteTree(dir, seed);
        var ring = new KeyRing(V1, V2);

        var old = files.SelectMany(f => WholeFileScanner.Scan(File.ReadAllBytes(f.Path)).Select(field => (f.Name, Field: field, Key: WholeFileScanner.KeyIndex(ring, field.Token)))).ToList();
        var report = Census.Take(scope, ring, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(old.Count, report.Total);
        Assert.Equal(old.Count(f => f.Key == 0), report.UnderPrimary);
        Assert.Equal(old.Count(f => f.Key == 1), report.UnderSecondary);
        Assert.Equal(old.Where(f => f.Key < 0).Select(f => (f.Name, f.Field.JsonPath, f.Field.Prefixed, Inspect(f.Field.Token))),
            report.Undecryptable.Select(f => (f.File, f.JsonPath, f.Prefixed, f.Timestamp)));
        var examples = old.GroupBy(f => f.Key).SelectMany(g => g.Take(CensusTally.ExamplesPerKey)).OrderBy(old.IndexOf)
            .Select(f => (f.Name, f.Field.JsonPath, f.Key < 0 ? (int?)null : f.Key, Inspect(f.Field.Token)));
        Assert.Equal(examples, report.Examples.Select(f => (f.File, f.JsonPath, f.KeyIndex, f.Timestamp)));
        Assert.True(report.UnderPrimary > CensusTally.ExamplesPerKey && report.Undecryptable.Count > 0, $"seed {seed}: the tree is too small to test the examples' cap");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Rewrap_changes_exactly_the_bytes_of_the_fields_not_under_the_primary(int seed)
    {
        using var dir = new TempDir("robodj-oracle");
        var (scope, files) = WriteTree(dir, seed);
        var ring = new KeyRing(Next, V1, V2);
        var before = files.ToDictionary(f => f.Name, f => File.ReadAllBytes(f.Path));

        var report = Rewrap.Run(scope, ring);

        int rewrapped = 0, current = 0, undecryptable = 0;
        var written = new List<string>();
        foreach (var (name, path) in files)
        {
            var oldBytes = before[name];
            var newBytes = File.ReadAllBytes(path);
            var oldFields = WholeFileScanner.Scan(oldBytes);
            var newFields = WholeFileScanner.Scan(newBytes);
            Assert.Equal(oldFields.Select(f => (f.JsonPath, f.Prefixed)), newFields.Select(f => (f.JsonPath, f.Prefixed)));
            var changedHere = 0;
            int oldAt = 0, newAt = 0;
            foreach (var (was, now) in oldFields.Zip(newFields))
            {
                Assert.True(oldBytes.AsSpan(oldAt, was.ContentStart - oldAt).SequenceEqual(newBytes.AsSpan(newAt, now.ContentStart - newAt)), $"{name}: bytes before {was.JsonPath} changed");
                oldAt = was.ContentStart + was.ContentLength;
                newAt = now.ContentStart + now.ContentLength;
                var key = WholeFileScanner.KeyIndex(ring, was.Token);
                if (key <= 0)
                {
                    Assert.Equal(was.Token, now.Token);
                    if (key == 0) current++; else undecryptable++;
                    continue;
                }
                changedHere++;
                Assert.True(FernetToken.TryDecrypt(ring.Keys[key], was.Token, out var plain));
                Assert.True(FernetToken.TryDecrypt(Next, now.Token, out var again), $"{name} {now.JsonPath} does not open with the primary");
                Assert.Equal(plain, again);
                Assert.Equal(Inspect(was.Token), Inspect(now.Token));
            }
            Assert.True(oldBytes.AsSpan(oldAt).SequenceEqual(newBytes.AsSpan(newAt)), $"{name}: bytes after the last field changed");
            rewrapped += changedHere;
            if (changedHere > 0) written.Add(name);
            else Assert.Equal(oldBytes, newBytes);
        }
        Assert.Equal((rewrapped, current, undecryptable), (report.Rewrapped, report.AlreadyCurrent, report.Undecryptable.Count));
        Assert.Equal(written, report.FilesWritten);
        Assert.True(rewrapped > 1000, $"seed {seed}: only {rewrapped} fields rewrapped");
    }

    static DateTimeOffset Inspect(string token) => FernetToken.Inspect(token)!.Value.Timestamp;

    /// <summary>A few small files and one of several MiB (so several chunks), in ordinal order as the scope lists them.</summary>
    static (DeploymentScope Scope, List<(string Name, string Path)> Files) WriteTree(TempDir dir, int seed)
    {
        var random = new Random(seed);
        var config = new ConfigTreeBuilder(dir.Combine("config"));
        var json = new RandomConfigJson(random, Writers);
        var files = new List<(string, string)>();
        for (var i = 0; i < 4; i++)
        {
            var name = i == 2 ? "big/stations.json" : $"f{i}.json";
            config.Raw(name, json.Document(i == 2 ? 12_000 : 40));
            files.Add((name, Path.Combine(config.Root, name)));
        }
        return (config.Scope, files.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList());
    }
}
