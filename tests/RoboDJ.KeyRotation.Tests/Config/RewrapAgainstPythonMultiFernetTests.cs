using System.Text.Json;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>python3-cryptography's MultiFernet and python's json are the reference for a rewrapped file of many chunks.</summary>
public sealed class RewrapAgainstPythonMultiFernetTests
{
    [Fact]
    public void Python_opens_every_field_of_a_big_rewrapped_file_with_the_new_key_and_reads_the_same_document()
    {
        using var dir = new TempDir("robodj-py-rewrap");
        var config = new ConfigTreeBuilder(dir.Combine("config"));
        FernetKey next = FernetKey.Generate(), v1 = FernetKey.Generate(), v2 = FernetKey.Generate(), stranger = FernetKey.Generate();
        // Mixed tokens, look-alikes, escapes, nested arrays; about 4 MiB, so the rewrap writes it in several chunks.
        config.Raw("stations.json", new RandomConfigJson(new Random(14), [v1, v2, stranger]).Document(20_000));
        var file = Path.Combine(config.Root, "stations.json");
        var original = dir.Combine("original.json");
        File.Copy(file, original);
        Assert.True(new FileInfo(file).Length > 3 << 20, "the file is too small to span several chunks");

        var report = Rewrap.Run(config.Scope, new KeyRing(next, v1, v2));

        const string script = """
            import json, sys
            from cryptography.fernet import Fernet, MultiFernet, InvalidToken
            d = json.load(sys.stdin)
            old = MultiFernet([Fernet(d["v1"]), Fernet(d["v2"])])
            new = Fernet(d["next"])
            counts = {"rewrapped": 0, "unpadded": 0, "unchanged": 0, "other": 0}
            def opens_padded(t):
                try:
                    return bool(old.decrypt(t + b"=" * (-len(t) % 4)))
                except InvalidToken:
                    return False
            def walk(a, b):
                if isinstance(a, dict):
                    assert isinstance(b, dict) and list(a) == list(b), "keys differ"
                    for k in a: walk(a[k], b[k])
                elif isinstance(a, list):
                    assert isinstance(b, list) and len(a) == len(b), "array lengths differ"
                    for x, y in zip(a, b): walk(x, y)
                elif isinstance(a, str) and a.removeprefix("enc:").startswith("gAAAAA"):
                    assert a.startswith("enc:") == b.startswith("enc:"), "prefix changed"
                    ta, tb = a.removeprefix("enc:").encode(), b.removeprefix("enc:").encode()
                    try:
                        plain = old.decrypt(ta)
                    except InvalidToken:
                        # Python also refuses a token whose '=' padding was dropped; so do we, and leave it as it is.
                        assert ta == tb, "a field no key opens was changed"
                        counts["unchanged"] += 1
                        if len(ta) % 4 and opens_padded(ta): counts["unpadded"] += 1
                        return
                    assert new.decrypt(tb) == plain, "plaintext changed"
                    assert new.extract_timestamp(tb) == old.extract_timestamp(ta), "timestamp changed"
                    counts["rewrapped"] += 1
                else:
                    assert a == b, "a value that is no token changed"
                    counts["other"] += 1
            with open(d["original"], encoding="utf-8-sig") as f: before = json.load(f)
            with open(d["rewrapped"], encoding="utf-8-sig") as f: after = json.load(f)
            walk(before, after)
            print(json.dumps(counts))
            """;
        var input = JsonSerializer.Serialize(new { next = next.Text, v1 = v1.Text, v2 = v2.Text, original, rewrapped = file });
        var counts = JsonSerializer.Deserialize<Dictionary<string, int>>(PythonRunner.Run(script, input))!;

        Assert.Equal(report.Rewrapped, counts["rewrapped"]);
        Assert.True(counts["unpadded"] > 0, "no token without its padding was generated");
        Assert.True(counts["rewrapped"] > 10_000 && counts["unchanged"] > 1000, $"{counts["rewrapped"]} rewrapped, {counts["unchanged"]} unchanged: too few to test");
    }
}
