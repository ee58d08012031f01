using System.Text;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class KeyRingTests
{
    readonly FernetKey v1 = FernetKey.Generate();
    readonly FernetKey v2 = FernetKey.Generate();

    [Fact]
    public void Encrypt_uses_the_first_key_and_decrypt_names_whichever_key_opens()
    {
        var ring = new KeyRing(v1, v2);
        Assert.Same(v1, ring.TryDecrypt(ring.Encrypt("a"u8), out _));
        Assert.True(FernetToken.TryDecrypt(v1, ring.Encrypt("a"u8), out _));
        Assert.Same(v2, ring.TryDecrypt(FernetToken.Encrypt(v2, "b"u8), out var plaintext));
        Assert.Equal("b", Encoding.UTF8.GetString(plaintext));
        Assert.Null(ring.TryDecrypt(FernetToken.Encrypt(FernetKey.Generate(), "c"u8), out _));
    }

    [Fact]
    public void Rotate_reencrypts_under_the_first_key_keeping_the_timestamp()
    {
        var when = new DateTimeOffset(2020, 2, 29, 0, 0, 0, TimeSpan.Zero);
        var old = FernetToken.Encrypt(v2, "payload"u8, when);
        var rotated = new KeyRing(v1, v2).Rotate(old)!;
        Assert.NotEqual(old, rotated);
        Assert.True(FernetToken.TryDecrypt(v1, rotated, out var plaintext));
        Assert.Equal("payload", Encoding.UTF8.GetString(plaintext));
        Assert.Equal(when, FernetToken.Inspect(rotated)!.Value.Timestamp);
        Assert.False(FernetToken.TryDecrypt(v2, rotated, out _));
    }

    [Fact]
    public void Rotate_says_null_when_no_key_opens_the_token()
    {
        Assert.Null(new KeyRing(v1).Rotate(FernetToken.Encrypt(v2, "x"u8)));
    }

    [Fact]
    public void An_empty_ring_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new KeyRing());
    }
}
