using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class FernetKeyTests
{
    // The Fernet spec's own example key (generate.json), not a deployment's.
    const string SpecKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "too short", SpecKey[..40] + "===", "characters long" },
        { "too long", SpecKey[..^1] + "AAAA=", "characters long" },
        { "missing pad", SpecKey[..^1], "missing its '=' padding" },
        { "standard alphabet", SpecKey.Replace('_', '/').Replace('-', '+'), "standard base64 alphabet" },
        { "foreign character", SpecKey[..10] + "*" + SpecKey[11..], "outside urlsafe base64" },
        { "leading space", " " + SpecKey, "surrounding whitespace" },
        { "trailing newline", SpecKey + "\n", "surrounding whitespace" },
        { "double quotes", "\"" + SpecKey[1..^1] + "\"", "surrounding quotes" },
        { "single quotes", "'" + SpecKey + "'", "surrounding quotes" },
        { "empty", "", "empty" },
        { "pad in the middle", SpecKey[..20] + "=" + SpecKey[21..], "padding is malformed" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_refuses_a_malformed_key_with_the_reason_and_the_source_but_never_the_value(string _, string text, string reason)
    {
        var e = Assert.Throws<MalformedKeyException>(() => FernetKey.Parse(text, ".env:3 (ROBODJ_SECRET_KEY)"));
        Assert.StartsWith(".env:3 (ROBODJ_SECRET_KEY): ", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Contains("Fix: ", e.Message);
        if (text.Trim().Length >= 8) Assert.DoesNotContain(text.Trim().Trim('"', '\'')[..8], e.Message);
        Assert.False(FernetKey.TryParse(text, out FernetKey? key, out string? why));
        Assert.NotNull(why);
        Assert.Null(key);
    }

    [Fact]
    public void Parse_accepts_the_spec_key_and_fingerprints_it_as_sha256_of_its_text()
    {
        var key = FernetKey.Parse(SpecKey, "spec");
        Assert.Equal("sha256:d88a2cb53b61", key.Fingerprint.ToString());
        Assert.Equal("FernetKey(sha256:d88a2cb53b61)", key.ToString());
    }

    [Fact]
    public void A_redacted_key_shows_the_same_fingerprint_as_the_summary()
    {
        var key = FernetKey.Generate();
        RoboDJ.Pipeline.SecretRedactor.Register(key.Text);

        Assert.Equal($"V1 ***{key.Fingerprint.Hex} set", RoboDJ.Pipeline.SecretRedactor.Redact($"V1 {key.Text} set"));
    }

    [Fact]
    public void Generate_makes_distinct_well_formed_keys()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => FernetKey.Generate()).ToList();
        Assert.All(keys, k => Assert.Equal(FernetKey.TextLength, k.Text.Length));
        Assert.All(keys, k => Assert.Equal(k, FernetKey.Parse(k.Text, "roundtrip")));
        Assert.Equal(50, keys.Select(k => k.Text).Distinct().Count());
    }

    [Fact]
    public void Keys_are_equal_by_value()
    {
        Assert.Equal(FernetKey.Parse(SpecKey, "a"), FernetKey.Parse(SpecKey, "b"));
        Assert.NotEqual(FernetKey.Generate(), FernetKey.Parse(SpecKey, "a"));
    }
}
