using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>python-dotenv is the reference reader: what it reads from each tricky file, and from what we write, must match.</summary>
public sealed class DotEnvRoundTripAgainstPythonDotenvTests
{
    // utf-8-sig: python-dotenv would otherwise keep a BOM as part of the first key; docker compose strips it, as we do.
    const string Reader = """
        import json, sys
        from dotenv import dotenv_values
        out = {}
        for path in json.load(sys.stdin):
            out[path] = dotenv_values(path, interpolate=False, encoding="utf-8-sig")
        print(json.dumps(out))
        """;

    static Dictionary<string, Dictionary<string, string?>> ReadWithPython(IEnumerable<string> paths) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string?>>>(PythonRunner.Run(Reader, JsonSerializer.Serialize(paths)))!;

    [Fact]
    public void What_python_reads_from_each_corpus_file_equals_what_we_read()
    {
        using var dir = new TempDir();
        var files = DotEnvBuilder.Corpus().ToDictionary(c => c.File.WriteTo(dir.Combine(c.Name.Replace(' ', '-') + ".env")), c => c.Name);
        var python = ReadWithPython(files.Keys);
        foreach (var (path, name) in files)
            Assert.True(Same(python[path], DotEnvFile.FromBytes(File.ReadAllBytes(path), path).Values), $"corpus file '{name}' reads differently");
    }

    [Fact]
    public void What_we_write_reads_in_python_as_the_values_we_meant_and_keeps_the_others()
    {
        using var dir = new TempDir();
        var written = new Dictionary<string, (string Name, IReadOnlyDictionary<string, string?> Expected)>();
        foreach (var (name, builder) in DotEnvBuilder.Corpus())
        {
            var path = builder.WriteTo(dir.Combine(name.Replace(' ', '-') + ".env"));
            var primary = FernetKey.Generate();
            var secondary = FernetKey.Generate();
            var before = DotEnvFile.FromBytes(File.ReadAllBytes(path), path);
            var after = before.With([new(KeySlots.PrimaryName, primary.Text), new(KeySlots.SecondaryName, secondary.Text)]);
            after.Save(path);
            var expected = new Dictionary<string, string?>(before.Values) { [KeySlots.PrimaryName] = primary.Text, [KeySlots.SecondaryName] = secondary.Text };
            written[path] = (name, expected);
        }
        var python = ReadWithPython(written.Keys);
        foreach (var (path, (name, expected)) in written)
            Assert.True(Same(python[path], expected), $"corpus file '{name}' after our write reads differently in python");
    }

    static bool Same(IReadOnlyDictionary<string, string?> a, IReadOnlyDictionary<string, string?> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
