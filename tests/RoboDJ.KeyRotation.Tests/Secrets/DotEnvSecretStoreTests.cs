using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class DotEnvSecretStoreTests : IDisposable
{
    readonly TempDir dir = new();
    readonly FernetKey v1 = FernetKey.Generate();
    readonly FernetKey v2 = FernetKey.Generate();
    string EnvPath => dir.Combine(".env");
    public void Dispose() => dir.Dispose();

    DotEnvSecretStore StoreWith(DotEnvBuilder builder)
    {
        builder.WriteTo(EnvPath);
        return new DotEnvSecretStore(EnvPath);
    }

    [Fact]
    public async Task ReadAsync_returns_both_slots()
    {
        var store = StoreWith(new DotEnvBuilder().Lines("ROBODJ_ENV=staging", $"ROBODJ_SECRET_KEY={v1.Text}", $"ROBODJ_SECRET_V2_KEY='{v2.Text}'"));
        var slots = await store.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(v1, slots.Primary);
        Assert.Equal(v2, slots.Secondary);
    }

    [Fact]
    public async Task An_absent_slot_reads_as_null_and_an_empty_one_is_a_missing_key_error()
    {
        var store = StoreWith(new DotEnvBuilder().Lines($"ROBODJ_SECRET_KEY={v1.Text}"));
        Assert.Null((await store.ReadAsync(TestContext.Current.CancellationToken)).Secondary);

        store = StoreWith(new DotEnvBuilder().Lines("A=1", "ROBODJ_SECRET_KEY="));
        var e = await Assert.ThrowsAsync<MissingKeyException>(() => store.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Contains(".env:2", e.Message);
        Assert.Contains("Fix: ", e.Message);
    }

    [Fact]
    public async Task A_malformed_key_names_file_line_and_reason_but_not_the_value()
    {
        var bad = v1.Text[..^1];
        var store = StoreWith(new DotEnvBuilder().Lines("# c", $"ROBODJ_SECRET_V2_KEY={bad}", $"ROBODJ_SECRET_KEY={v1.Text}"));
        var e = await Assert.ThrowsAsync<MalformedKeyException>(() => store.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"{EnvPath}:2 (ROBODJ_SECRET_V2_KEY)", e.Message);
        Assert.Contains("padding", e.Message);
        Assert.DoesNotContain(bad, e.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WriteAsync_writes_both_slots_and_keeps_every_other_byte()
    {
        var store = StoreWith(new DotEnvBuilder().Crlf().Lines("# RoboDJ", "ROBODJ_ENV=staging # env", "export ROBODJ_SECRET_KEY='old'", "ROBODJ_SECRET_V2_KEY=\"older\"", "Z=1"));
        File.SetUnixFileMode(EnvPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await store.WriteAsync(new KeySlots(v1, v2), TestContext.Current.CancellationToken);
        var expected = new DotEnvBuilder().Crlf().Lines("# RoboDJ", "ROBODJ_ENV=staging # env", $"export ROBODJ_SECRET_KEY='{v1.Text}'", $"ROBODJ_SECRET_V2_KEY=\"{v2.Text}\"", "Z=1");
        Assert.Equal(expected.Bytes, File.ReadAllBytes(EnvPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvPath));
        var read = await store.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((v1, v2), (read.Primary, read.Secondary));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_env_file_is_detected_before_anything_is_written()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        var store = StoreWith(new DotEnvBuilder().Lines("ROBODJ_SECRET_KEY=old"));
        File.SetUnixFileMode(EnvPath, UnixFileMode.UserRead);
        var before = File.ReadAllBytes(EnvPath);
        var e = await Assert.ThrowsAsync<SecretStoreNotWritableException>(() => store.CheckWritableAsync(TestContext.Current.CancellationToken));
        Assert.Contains("chmod u+w", e.Message);
        await Assert.ThrowsAsync<SecretStoreNotWritableException>(() => store.WriteAsync(new KeySlots(v1, v2), TestContext.Current.CancellationToken));
        Assert.Equal(before, File.ReadAllBytes(EnvPath));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_folder_is_detected_before_anything_is_written()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        var store = StoreWith(new DotEnvBuilder().Lines("ROBODJ_SECRET_KEY=old"));
        var mode = File.GetUnixFileMode(dir.Path);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = await Assert.ThrowsAsync<SecretStoreNotWritableException>(() => store.CheckWritableAsync(TestContext.Current.CancellationToken));
            Assert.Contains("folder is read-only", e.Message);
        }
        finally { File.SetUnixFileMode(dir.Path, mode); }
    }

    [Fact]
    public async Task A_missing_env_file_is_not_writable()
    {
        var store = new DotEnvSecretStore(EnvPath);
        var e = await Assert.ThrowsAsync<SecretStoreNotWritableException>(() => store.CheckWritableAsync(TestContext.Current.CancellationToken));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void DescribeWrite_shows_fingerprints_only()
    {
        var store = new DotEnvSecretStore(EnvPath);
        var text = store.DescribeWrite(new KeySlots(v1, v2));
        Assert.Equal($"would write V1 {v1.Fingerprint}, V2 {v2.Fingerprint} to {store.Path}", text);
        Assert.StartsWith("sha256:", v1.Fingerprint.ToString());
        Canary.AssertAbsent(text, [v1.Text, v2.Text], "DescribeWrite");
    }

    [Fact]
    public async Task WriteAsync_refuses_a_missing_slot()
    {
        var store = StoreWith(new DotEnvBuilder().Lines("A=1"));
        await Assert.ThrowsAsync<MissingKeyException>(() => store.WriteAsync(new KeySlots(v1, null), TestContext.Current.CancellationToken));
        Assert.Equal("A=1\n", File.ReadAllText(EnvPath));
    }
}
