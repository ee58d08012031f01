using System.Text;
using RoboDJ.KeyRotation.Secrets;
using Sodium;

namespace RoboDJ.KeyRotation.Tests.GitHub;

public sealed class GitHubSecretStoreTests : IDisposable
{
    readonly FakeGitHub github = new();
    readonly KeyPair gitHubKeys = PublicKeyBox.GenerateKeyPair();
    readonly FernetKey oldPrimary = FernetKey.Generate();
    readonly FernetKey newPrimary = FernetKey.Generate();

    public void Dispose() => github.Dispose();

    GitHubSecretStore Store(GitHubSecretScope scope, Dictionary<string, string?>? environment = null) =>
        new(github.Client(), github.Options(), scope, environment ?? new Dictionary<string, string?>());

    string Open(string encryptedValue) =>
        Encoding.UTF8.GetString(SealedPublicKeyBox.Open(Convert.FromBase64String(encryptedValue), gitHubKeys.PrivateKey, gitHubKeys.PublicKey));

    [Fact]
    public async Task Repository_store_writes_V2_then_V1_each_sealed_under_the_repository_public_key()
    {
        github.On("GET", "actions/secrets/public-key", 200, FakeGitHub.PublicKey("repo-key-7", gitHubKeys.PublicKey))
              .On("PUT", "actions/secrets/ROBODJ_SECRET_V2_KEY", 201)
              .On("PUT", "actions/secrets/ROBODJ_SECRET_KEY", 201)
              .On("GET", "actions/secrets/ROBODJ_SECRET_V2_KEY", 200, new System.Text.Json.Nodes.JsonObject { ["name"] = "ROBODJ_SECRET_V2_KEY" })
              .On("GET", "actions/secrets/ROBODJ_SECRET_KEY", 200, new System.Text.Json.Nodes.JsonObject { ["name"] = "ROBODJ_SECRET_KEY" });

        await Store(GitHubSecretScope.Repository).WriteAsync(new KeySlots(newPrimary, oldPrimary), TestContext.Current.CancellationToken);

        // Octokit's CreateOrUpdate reads each secret's metadata back after its PUT (hence the GET stubs above).
        Assert.Equal(
            ["GET /api/v3/repos/acme/robodj/actions/secrets/public-key",
             "PUT /api/v3/repos/acme/robodj/actions/secrets/ROBODJ_SECRET_V2_KEY",
             "GET /api/v3/repos/acme/robodj/actions/secrets/ROBODJ_SECRET_V2_KEY",
             "PUT /api/v3/repos/acme/robodj/actions/secrets/ROBODJ_SECRET_KEY",
             "GET /api/v3/repos/acme/robodj/actions/secrets/ROBODJ_SECRET_KEY"],
            github.Requests.Select(r => r.ToString()));
        var puts = github.Writes.ToList();
        Assert.All(puts, p => Assert.Equal("repo-key-7", (string?)p.Json["key_id"]));
        Assert.Equal(oldPrimary.Text, Open((string)puts[0].Json["encrypted_value"]!));
        Assert.Equal(newPrimary.Text, Open((string)puts[1].Json["encrypted_value"]!));
        Assert.Equal(["encrypted_value", "key_id"], puts[0].Json.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Environment_store_puts_both_slots_through_the_connection_under_the_environment_public_key()
    {
        github.On("GET", "environments/production/secrets/public-key", 200, FakeGitHub.PublicKey("env-key-3", gitHubKeys.PublicKey))
              .On("PUT", "environments/production/secrets/ROBODJ_SECRET_V2_KEY", 201)
              .On("PUT", "environments/production/secrets/ROBODJ_SECRET_KEY", 204);

        await Store(GitHubSecretScope.ForEnvironment("production")).WriteAsync(new KeySlots(newPrimary, oldPrimary), TestContext.Current.CancellationToken);

        Assert.Equal(
            ["GET /api/v3/repos/acme/robodj/environments/production/secrets/public-key",
             "PUT /api/v3/repos/acme/robodj/environments/production/secrets/ROBODJ_SECRET_V2_KEY",
             "PUT /api/v3/repos/acme/robodj/environments/production/secrets/ROBODJ_SECRET_KEY"],
            github.Requests.Select(r => r.ToString()));
        var puts = github.Writes.ToList();
        Assert.All(puts, p => Assert.Equal("env-key-3", (string?)p.Json["key_id"]));
        Assert.Equal(oldPrimary.Text, Open((string)puts[0].Json["encrypted_value"]!));
        Assert.Equal(newPrimary.Text, Open((string)puts[1].Json["encrypted_value"]!));
    }

    [Fact]
    public async Task A_failed_V1_write_leaves_the_old_primary_in_V1_because_V2_was_written_first()
    {
        github.On("GET", "environments/production/secrets/public-key", 200, FakeGitHub.PublicKey("k", gitHubKeys.PublicKey))
              .On("PUT", "environments/production/secrets/ROBODJ_SECRET_V2_KEY", 201)
              .OnError("PUT", "environments/production/secrets/ROBODJ_SECRET_KEY", 500, "boom");

        await Assert.ThrowsAsync<RoboDJ.KeyRotation.GitHub.GitHubAccessException>(() =>
            Store(GitHubSecretScope.ForEnvironment("production")).WriteAsync(new KeySlots(newPrimary, oldPrimary), TestContext.Current.CancellationToken));

        var v2 = Assert.Single(github.Writes, w => w.Path.EndsWith("ROBODJ_SECRET_V2_KEY"));
        Assert.Equal(oldPrimary.Text, Open((string)v2.Json["encrypted_value"]!));
    }

    [Fact]
    public async Task A_missing_secondary_deletes_the_V2_secret_instead_of_writing_an_empty_one()
    {
        github.On("GET", "environments/staging/secrets/public-key", 200, FakeGitHub.PublicKey("k", gitHubKeys.PublicKey))
              .On("DELETE", "environments/staging/secrets/ROBODJ_SECRET_V2_KEY", 204)
              .On("PUT", "environments/staging/secrets/ROBODJ_SECRET_KEY", 201);

        await Store(GitHubSecretScope.ForEnvironment("staging")).WriteAsync(new KeySlots(oldPrimary, null), TestContext.Current.CancellationToken);

        Assert.Equal(
            ["DELETE /api/v3/repos/acme/robodj/environments/staging/secrets/ROBODJ_SECRET_V2_KEY",
             "PUT /api/v3/repos/acme/robodj/environments/staging/secrets/ROBODJ_SECRET_KEY"],
            github.Writes.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Read_takes_both_slots_from_the_process_environment_without_calling_GitHub()
    {
        var store = Store(GitHubSecretScope.ForEnvironment("staging"), new()
        {
            [KeySlots.PrimaryName] = oldPrimary.Text,
            [KeySlots.SecondaryName] = "",
        });

        var slots = await store.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(oldPrimary, slots.Primary);
        Assert.Null(slots.Secondary);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task Read_of_a_malformed_key_names_the_variable_and_not_the_value()
    {
        var malformed = oldPrimary.Text.Replace('-', '+').Replace('_', '/')[..40];
        var store = Store(GitHubSecretScope.Repository, new() { [KeySlots.PrimaryName] = malformed });

        var error = await Assert.ThrowsAsync<MalformedKeyException>(() => store.ReadAsync(TestContext.Current.CancellationToken));

        Assert.Contains("environment variable ROBODJ_SECRET_KEY", error.Message);
        Assert.Contains("github-repository acme/robodj", error.Message);
        Assert.DoesNotContain(malformed, error.Message);
    }

    [Fact]
    public async Task CheckWritable_fetches_the_environment_public_key()
    {
        github.On("GET", "environments/staging/secrets/public-key", 200, FakeGitHub.PublicKey("k", gitHubKeys.PublicKey));

        await Store(GitHubSecretScope.ForEnvironment("staging")).CheckWritableAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["GET /api/v3/repos/acme/robodj/environments/staging/secrets/public-key"], github.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public void DescribeWrite_names_the_store_and_fingerprints_only()
    {
        var text = Store(GitHubSecretScope.ForEnvironment("production")).DescribeWrite(new KeySlots(newPrimary, oldPrimary));

        Assert.Equal(
            $"would write ROBODJ_SECRET_V2_KEY = {oldPrimary.Fingerprint}, then ROBODJ_SECRET_KEY = {newPrimary.Fingerprint} " +
            "to github-environment acme/robodj@production, each sealed with the environment's public key",
            text);
        RoboDJ.Testing.Canary.AssertAbsent(text, [oldPrimary.Text, newPrimary.Text], "DescribeWrite");
    }

    [Fact]
    public void Description_names_kind_repository_and_environment()
    {
        Assert.Equal("github-repository acme/robodj", Store(GitHubSecretScope.Repository).Description);
        Assert.Equal("github-environment acme/robodj@staging", Store(GitHubSecretScope.ForEnvironment("staging")).Description);
    }
}
