using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>The acceptance vectors of github.com/fernet/spec, copied unchanged into Secrets/Vectors.</summary>
public sealed class FernetSpecVectorTests
{
    sealed record Vector(string Token, DateTimeOffset Now, string Secret, string? Src, int[]? Iv, int? Ttl_sec, string? Desc);

    static List<Vector> Load(string name) =>
        JsonSerializer.Deserialize<List<Vector>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Secrets", "Vectors", name)),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [Fact]
    public void Generate_vectors_encrypt_to_the_exact_token()
    {
        var vectors = Load("generate.json");
        Assert.NotEmpty(vectors);
        foreach (var v in vectors)
        {
            var token = FernetToken.Encrypt(FernetKey.Parse(v.Secret, "generate.json"), Encoding.UTF8.GetBytes(v.Src!), v.Now, v.Iv!.Select(b => (byte)b).ToArray());
            Assert.Equal(v.Token, token);
        }
    }

    [Fact]
    public void Verify_vectors_decrypt_to_the_source_within_their_ttl()
    {
        var vectors = Load("verify.json");
        Assert.NotEmpty(vectors);
        foreach (var v in vectors)
        {
            Assert.True(FernetToken.TryDecrypt(FernetKey.Parse(v.Secret, "verify.json"), v.Token, out var plaintext, TimeSpan.FromSeconds(v.Ttl_sec!.Value), v.Now));
            Assert.Equal(v.Src, Encoding.UTF8.GetString(plaintext));
            Assert.Equal(v.Now.AddSeconds(-1), FernetToken.Inspect(v.Token)!.Value.Timestamp);
        }
    }

    [Fact]
    public void Invalid_vectors_are_all_refused()
    {
        var vectors = Load("invalid.json");
        Assert.True(vectors.Count >= 8);
        foreach (var v in vectors)
            Assert.False(FernetToken.TryDecrypt(FernetKey.Parse(v.Secret, "invalid.json"), v.Token, out _, TimeSpan.FromSeconds(v.Ttl_sec!.Value), v.Now), v.Desc);
    }
}
