using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

public sealed partial class RewrapTests : IDisposable
{
    readonly TempDir dir = new();
    readonly FernetKey newV1 = FernetKey.Generate();
    readonly FernetKey oldV1 = FernetKey.Generate();
    readonly FernetKey stranger = FernetKey.Generate();
    readonly ConfigTreeBuilder config;
    KeyRing Ring => new(newV1, oldV1);

    public RewrapTests() => config = new ConfigTreeBuilder(dir.Combine("config"));
    public void Dispose() => dir.Dispose();

    [Fact]
    public void Rewrap_moves_every_field_under_the_primary_keeping_timestamp_prefix_and_plaintext()
    {
        config.File("app.json", new JsonObject
        {
            ["a"] = ConfigTreeBuilder.Field(oldV1, "alpha", prefixed: true),
            ["b"] = new JsonArray(ConfigTreeBuilder.Field(oldV1, "beta"), ConfigTreeBuilder.Field(newV1, "gamma")),
        });
        var report = Rewrap.Run(config.Scope, Ring);
        Assert.Equal((2, 1, 0), (report.Rewrapped, report.AlreadyCurrent, report.Undecryptable.Count));
        Assert.Equal(["app.json"], report.FilesWritten);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(config.Root, "app.json")))!;
        var a = json["a"]!.GetValue<string>();
        Assert.StartsWith("enc:gAAAAA", a);
        Assert.Equal("alpha", Open(newV1, a["enc:".Length..]));
        Assert.Equal("beta", Open(newV1, json["b"]![0]!.GetValue<string>()));
        Assert.Equal(ConfigTreeBuilder.Written, FernetToken.Inspect(a["enc:".Length..])!.Value.Timestamp);
        Assert.Equal(3, Census.Take(config.Scope, new KeyRing(newV1), cancellationToken: TestContext.Current.CancellationToken).UnderPrimary);
    }

    [Fact]
    public void A_second_rewrap_rewraps_nothing_and_writes_nothing()
    {
        config.Stations("stations.json", oldV1, oldV1, newV1);
        Assert.Equal(2, Rewrap.Run(config.Scope, Ring).Rewrapped);
        var after = File.ReadAllBytes(Path.Combine(config.Root, "stations.json"));
        var second = Rewrap.Run(config.Scope, Ring);
        Assert.Equal((0, 3), (second.Rewrapped, second.AlreadyCurrent));
        Assert.Empty(second.FilesWritten);
        Assert.Equal(after, File.ReadAllBytes(Path.Combine(config.Root, "stations.json")));
    }

    [Theory]
    [InlineData(true, "\n")]
    [InlineData(true, "\r\n")]
    [InlineData(false, "\n")]
    public void Rewrap_keeps_every_byte_outside_the_tokens(bool indented, string newline)
    {
        config.File("stations.json", new JsonObject
        {
            ["version"] = 1.50,
            ["stations"] = new JsonArray(new JsonObject { ["api_token"] = ConfigTreeBuilder.Field(oldV1, "t"), ["unicode"] = "zürich" }),
        }, indented, newline);
        var path = Path.Combine(config.Root, "stations.json");
        var before = File.ReadAllText(path);
        Rewrap.Run(config.Scope, Ring);
        var after = File.ReadAllText(path);
        Assert.NotEqual(before, after);
        Assert.Equal(Token().Replace(before, "TOKEN"), Token().Replace(after, "TOKEN"));
    }

    [Fact]
    public void Rewrap_leaves_undecryptable_fields_as_they_are_and_counts_them()
    {
        config.Stations("stations.json", stranger, oldV1);
        var strangerToken = JsonNode.Parse(File.ReadAllText(Path.Combine(config.Root, "stations.json")))!["stations"]![0]!["api_token"]!.GetValue<string>();
        var report = Rewrap.Run(config.Scope, Ring);
        Assert.Equal((1, 0), (report.Rewrapped, report.AlreadyCurrent));
        Assert.Equal(["$.stations[0].api_token"], report.Undecryptable.Select(f => f.JsonPath));
        Assert.Contains(strangerToken, File.ReadAllText(Path.Combine(config.Root, "stations.json")));
    }

    [Fact]
    public void A_dry_run_reports_the_same_counts_and_changes_no_byte()
    {
        config.Stations("stations.json", oldV1, newV1);
        var path = Path.Combine(config.Root, "stations.json");
        var before = File.ReadAllBytes(path);
        var report = Rewrap.Run(config.Scope, Ring, dryRun: true);
        Assert.Equal((1, 1, true), (report.Rewrapped, report.AlreadyCurrent, report.DryRun));
        Assert.StartsWith("would rewrap 1 fields", report.Summary);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_token_written_with_json_escapes_is_found_and_rewrapped()
    {
        var token = ConfigTreeBuilder.Field(oldV1, "escaped");
        config.Raw("escaped.json", "{\"k\": \"\\u0067" + token[1..] + "\"}");
        var report = Rewrap.Run(config.Scope, Ring);
        Assert.Equal(1, report.Rewrapped);
        var value = JsonNode.Parse(File.ReadAllText(Path.Combine(config.Root, "escaped.json")))!["k"]!.GetValue<string>();
        Assert.Equal("escaped", Open(newV1, value));
    }

    [Fact]
    public void A_big_file_with_nothing_to_rewrap_is_not_written_and_keeps_its_mtime()
    {
        // Several MiB: the rewrap reads it in many chunks and must still decide not to write it at all.
        config.Stations("current.json", [.. Enumerable.Repeat(newV1, 15_000), stranger]);
        var path = Path.Combine(config.Root, "current.json");
        var written = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);
        var before = File.ReadAllBytes(path);
        Assert.True(before.Length > 2 << 20, "the file is too small to span several chunks");

        var report = Rewrap.Run(config.Scope, Ring);

        Assert.Equal((0, 15_000, 1), (report.Rewrapped, report.AlreadyCurrent, report.Undecryptable.Count));
        Assert.Empty(report.FilesWritten);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["current.json"], Directory.GetFiles(config.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_broken_after_its_first_chunks_is_left_whole_with_no_temp_file_and_the_error_names_its_line()
    {
        // The streamed temp file has its first MiBs when the reader meets the damage: it must go, the original must stay.
        config.Stations("stations.json", [.. Enumerable.Repeat(oldV1, 15_000)]);
        var path = Path.Combine(config.Root, "stations.json");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..text.LastIndexOf('}')] + ",}\n");
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<ConfigJsonException>(() => Rewrap.Run(config.Scope, Ring));

        Assert.Equal("stations.json", e.File);
        Assert.Equal($"{text.Count(c => c == '\n') + 1}", e.Where);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["stations.json"], Directory.GetFiles(config.Root).Select(Path.GetFileName));
    }

    static string Open(FernetKey key, string token)
    {
        Assert.True(FernetToken.TryDecrypt(key, token, out var plaintext), "the key does not open the token");
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }

    [GeneratedRegex("gAAAAA[A-Za-z0-9_=-]+")]
    private static partial Regex Token();
}
