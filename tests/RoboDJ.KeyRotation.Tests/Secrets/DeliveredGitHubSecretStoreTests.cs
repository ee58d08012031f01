using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>
/// GitHub secrets delivered to .env: GitHub is written first, then .env; reads give .env's keys once they agree with
/// what GitHub holds as far as the run knows; a difference is refused unless an unfinished rotation explains it.
/// </summary>
public sealed class DeliveredGitHubSecretStoreTests : IDisposable
{
    readonly TempDir dir = new();
    readonly FernetKey v1 = FernetKey.Generate(), v2 = FernetKey.Generate(), next = FernetKey.Generate();
    readonly WriteOnlySecrets gitHub = new();
    bool unfinished;
    string EnvPath => dir.Combine(".env");
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    public void Dispose() => dir.Dispose();

    DeliveredGitHubSecretStore Store(FernetKey primary, FernetKey secondary)
    {
        new DotEnvBuilder().Lines("# deployment", "ROBODJ_ENV=staging", $"ROBODJ_SECRET_KEY={primary.Text}", $"ROBODJ_SECRET_V2_KEY='{secondary.Text}'").WriteTo(EnvPath);
        return new DeliveredGitHubSecretStore(gitHub, new DotEnvSecretStore(EnvPath), () => unfinished);
    }

    async Task<KeySlots> DotEnvKeys() => await new DotEnvSecretStore(EnvPath).ReadAsync(Ct);

    [Fact]
    public async Task A_write_goes_to_GitHub_first_then_to_the_env_file_the_app_reads()
    {
        gitHub.Mapped = new(v1, v2);
        var store = Store(v1, v2);

        await store.WriteAsync(new KeySlots(next, v1), Ct);

        Assert.Equal([new KeySlots(next, v1)], gitHub.Writes);
        Assert.Equal(new KeySlots(next, v1), await DotEnvKeys());
        Assert.Contains("# deployment", File.ReadAllText(EnvPath));
        // The job's mapping is stale now; what this store wrote is what GitHub holds.
        Assert.Equal(new KeySlots(next, v1), await store.ReadAsync(Ct));
    }

    [Fact]
    public async Task When_the_env_file_already_holds_the_keys_it_is_left_byte_for_byte()
    {
        var store = Store(v1, v2);
        File.AppendAllText(EnvPath, "QUOTED=\"a b\"  # kept\n");
        var before = File.ReadAllBytes(EnvPath);

        await store.WriteAsync(new KeySlots(v1, v2), Ct);

        Assert.Equal([new KeySlots(v1, v2)], gitHub.Writes);
        Assert.Equal(before, File.ReadAllBytes(EnvPath));
    }

    [Fact]
    public async Task Without_a_mapping_the_env_file_alone_is_read()
    {
        var store = Store(v1, v2);

        Assert.Equal(new KeySlots(v1, v2), await store.ReadAsync(Ct));
    }

    [Fact]
    public async Task A_mapping_that_differs_from_the_env_file_is_refused_naming_both_fingerprints_and_the_fix()
    {
        gitHub.Mapped = new(next, v1);
        var store = Store(v1, v2);

        var error = await Assert.ThrowsAsync<SecretStoresDisagreeException>(() => store.ReadAsync(Ct));

        Assert.Contains($"V1 {next.Fingerprint}, V2 {v1.Fingerprint}", error.Message);
        Assert.Contains($"V1 {v1.Fingerprint}, V2 {v2.Fingerprint}", error.Message);
        Assert.Contains(EnvPath, error.Message);
        Assert.Contains("Fix: ", error.Message);
        foreach (var key in new[] { v1, v2, next }) Assert.DoesNotContain(key.Text, error.Message);
    }

    [Fact]
    public async Task A_crash_between_the_two_writes_is_explained_by_the_unfinished_rotation_and_the_env_file_wins()
    {
        if (OperatingSystem.IsWindows()) { Assert.Skip("makes .env read-only with Unix mode bits"); return; }
        gitHub.Mapped = new(v1, v2);
        var store = Store(v1, v2);
        File.SetUnixFileMode(EnvPath, UnixFileMode.UserRead); // the .env write fails after GitHub's
        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(new KeySlots(next, v1), Ct));
        File.SetUnixFileMode(EnvPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal([new KeySlots(next, v1)], gitHub.Writes);

        await Assert.ThrowsAsync<SecretStoresDisagreeException>(() => store.ReadAsync(Ct));
        unfinished = true;
        Assert.Equal(new KeySlots(v1, v2), await store.ReadAsync(Ct));

        // Resume or Rollback writes both sides again, and then they agree.
        await store.WriteAsync(new KeySlots(v1, v2), Ct);
        unfinished = false;
        Assert.Equal(new KeySlots(v1, v2), gitHub.Writes[^1]);
        Assert.Equal(new KeySlots(v1, v2), await store.ReadAsync(Ct));
    }

    [Fact]
    public async Task Checking_writability_checks_both_sides_and_a_dry_run_describes_both_writes_by_fingerprint()
    {
        var store = Store(v1, v2);
        await store.CheckWritableAsync(Ct);
        Assert.Equal(1, gitHub.WritableChecks);

        var described = store.DescribeWrite(new KeySlots(next, v1));
        Assert.Contains($"github would write V1 {next.Fingerprint}", described);
        Assert.Contains($"would write V1 {next.Fingerprint}, V2 {v1.Fingerprint} to {EnvPath}", described);

        File.Delete(EnvPath);
        await Assert.ThrowsAsync<SecretStoreNotWritableException>(() => store.CheckWritableAsync(Ct));
    }
}
