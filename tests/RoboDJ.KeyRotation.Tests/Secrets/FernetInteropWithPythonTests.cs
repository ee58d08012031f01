using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>python3-cryptography's Fernet and MultiFernet are the reference; keys and tokens travel over stdin/stdout only.</summary>
public sealed class FernetInteropWithPythonTests
{
    [Fact]
    public void Tokens_made_by_python_fernet_and_multifernet_decrypt_in_csharp()
    {
        const string script = """
            import json, sys
            from cryptography.fernet import Fernet, MultiFernet
            old, new = Fernet.generate_key(), Fernet.generate_key()
            plain = Fernet(old).encrypt_at_time(b"from python", 1700000000)
            multi = MultiFernet([Fernet(new), Fernet(old)])
            print(json.dumps({"old": old.decode(), "new": new.decode(), "plain": plain.decode(),
                              "multi": multi.encrypt(b"multi").decode(), "rotated": multi.rotate(plain).decode()}))
            """;
        var r = JsonSerializer.Deserialize<Dictionary<string, string>>(PythonRunner.Run(script, ""))!;
        var oldKey = FernetKey.Parse(r["old"], "python");
        var newKey = FernetKey.Parse(r["new"], "python");
        var ring = new KeyRing(newKey, oldKey);

        Assert.Same(oldKey, ring.TryDecrypt(r["plain"], out var plain));
        Assert.Equal("from python", Encoding.UTF8.GetString(plain));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), FernetToken.Inspect(r["plain"])!.Value.Timestamp);
        Assert.Same(newKey, ring.TryDecrypt(r["multi"], out var multi));
        Assert.Equal("multi", Encoding.UTF8.GetString(multi));
        Assert.Same(newKey, ring.TryDecrypt(r["rotated"], out var rotated));
        Assert.Equal("from python", Encoding.UTF8.GetString(rotated));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), FernetToken.Inspect(r["rotated"])!.Value.Timestamp);
    }

    [Fact]
    public void Keys_and_tokens_made_in_csharp_are_accepted_by_python()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => FernetKey.Generate()).ToList();
        var old = keys[1];
        var when = DateTimeOffset.FromUnixTimeSeconds(1600000000);
        var token = FernetToken.Encrypt(old, "from csharp"u8, when);
        var input = JsonSerializer.Serialize(new
        {
            keys = keys.Select(k => k.Text),
            token,
            rotated = new KeyRing(keys[0], old).Rotate(token),
        });
        const string script = """
            import json, sys
            from cryptography.fernet import Fernet, MultiFernet
            d = json.load(sys.stdin)
            fernets = [Fernet(k) for k in d["keys"]]
            multi = MultiFernet([fernets[0], fernets[1]])
            print(json.dumps({"accepted": len(fernets),
                              "token": fernets[1].decrypt(d["token"]).decode(),
                              "token_ts": fernets[1].extract_timestamp(d["token"]),
                              "rotated_by_v1": fernets[0].decrypt(d["rotated"]).decode(),
                              "rotated_ts": fernets[0].extract_timestamp(d["rotated"]),
                              "multi": multi.decrypt(d["token"]).decode()}))
            """;
        var r = JsonSerializer.Deserialize<JsonElement>(PythonRunner.Run(script, input));
        Assert.Equal(20, r.GetProperty("accepted").GetInt32());
        Assert.Equal("from csharp", r.GetProperty("token").GetString());
        Assert.Equal(1600000000, r.GetProperty("token_ts").GetInt64());
        Assert.Equal("from csharp", r.GetProperty("rotated_by_v1").GetString());
        Assert.Equal(1600000000, r.GetProperty("rotated_ts").GetInt64());
        Assert.Equal("from csharp", r.GetProperty("multi").GetString());
    }

    [Fact]
    public void A_token_without_its_padding_opens_for_neither_python_nor_us_and_is_still_counted_as_a_field()
    {
        // Plaintexts of 1 to 6 bytes give every padding a token can have; each is also sent with its '=' stripped.
        const string script = """
            import json
            from cryptography.fernet import Fernet, InvalidToken
            key = Fernet.generate_key()
            f = Fernet(key)
            def opens(t):
                try:
                    f.decrypt(t.encode()); return True
                except InvalidToken:
                    return False
            tokens = [f.encrypt(b"x" * n).decode() for n in range(1, 7)]
            cases = [{"token": v, "opens": opens(v)} for t in tokens for v in (t, t.rstrip("="))]
            print(json.dumps({"key": key.decode(), "cases": cases}))
            """;
        var r = JsonSerializer.Deserialize<JsonElement>(PythonRunner.Run(script, ""));
        var ring = new KeyRing(FernetKey.Parse(r.GetProperty("key").GetString()!, "python"));
        var cases = r.GetProperty("cases").EnumerateArray().ToList();
        Assert.Contains(cases, c => !c.GetProperty("opens").GetBoolean());
        foreach (var c in cases)
        {
            var token = c.GetProperty("token").GetString()!;
            var python = c.GetProperty("opens").GetBoolean();
            Assert.True(python == (ring.TryDecrypt(token, out _) is not null), $"{token.Length} chars: python says {python}");
            var field = RoboDJ.KeyRotation.Config.FieldCrypto.Classify(ring, Encoding.ASCII.GetBytes(token), out _);
            Assert.Equal(python ? 0 : RoboDJ.KeyRotation.Config.FieldCrypto.NoKey, field);
        }
    }
}
