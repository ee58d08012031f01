using System.Text;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class FernetTokenTests
{
    readonly FernetKey key = FernetKey.Generate();

    [Fact]
    public void A_token_decrypts_with_its_key_and_not_with_another()
    {
        var token = FernetToken.Encrypt(key, "hello"u8);
        Assert.True(FernetToken.TryDecrypt(key, token, out var plaintext));
        Assert.Equal("hello", Encoding.UTF8.GetString(plaintext));
        Assert.False(FernetToken.TryDecrypt(FernetKey.Generate(), token, out _));
    }

    [Fact]
    public void A_tampered_or_reformatted_token_is_refused()
    {
        var token = FernetToken.Encrypt(key, "hello"u8);
        var flipped = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        Assert.False(FernetToken.TryDecrypt(key, flipped, out _));
        Assert.False(FernetToken.TryDecrypt(key, token[..30] + " " + token[30..], out _));
        Assert.False(FernetToken.TryDecrypt(key, token[..^4], out _));
    }

    [Fact]
    public void Inspect_reads_version_and_timestamp_without_a_key()
    {
        var when = new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var info = FernetToken.Inspect(FernetToken.Encrypt(key, "x"u8, when));
        Assert.Equal(new TokenInfo(0x80, when), info);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("gAAAAAshort")]
    [InlineData("gAAAAA!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void Inspect_says_null_for_text_not_shaped_like_a_token(string text)
    {
        Assert.Null(FernetToken.Inspect(text));
    }

    [Fact]
    public void An_empty_plaintext_makes_the_shortest_token()
    {
        var token = FernetToken.Encrypt(key, ReadOnlySpan<byte>.Empty);
        Assert.True(FernetToken.TryDecrypt(key, token, out var plaintext));
        Assert.Empty(plaintext);
        Assert.NotNull(FernetToken.Inspect(token));
    }
}
