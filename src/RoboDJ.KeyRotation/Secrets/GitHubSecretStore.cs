using System.Text;
using Octokit;
using RoboDJ.KeyRotation.GitHub;
using Sodium;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// The keys as GitHub Actions secrets (github-repository or github-environment). GitHub never gives a secret back, so
/// this store is write-only: <see cref="ReadAsync"/> takes the current values from the process environment, where the
/// workflow puts them (`env: ROBODJ_SECRET_KEY: ${{ secrets.ROBODJ_SECRET_KEY }}`).
/// </summary>
public sealed class GitHubSecretStore : ISecretStore
{
    readonly IGitHubClient client;
    readonly GitHubOptions options;
    readonly GitHubSecretScope scope;
    readonly IReadOnlyDictionary<string, string?> processEnvironment;
    readonly GitHubCall call;

    public GitHubSecretStore(IGitHubClient client, GitHubOptions options, GitHubSecretScope scope,
        IReadOnlyDictionary<string, string?> processEnvironment, TimeProvider? time = null, Serilog.ILogger? logger = null)
    {
        this.client = client;
        this.options = options;
        this.scope = scope;
        this.processEnvironment = processEnvironment;
        call = new GitHubCall(options, time, logger);
    }

    public string Description => scope.Environment is null
        ? $"{scope.Kind} {options.RepositoryFullName}"
        : $"{scope.Kind} {options.RepositoryFullName}@{scope.Environment}";

    string Where => scope.Environment is null
        ? $"repository {options.RepositoryFullName}"
        : $"environment '{scope.Environment}' of {options.RepositoryFullName}";

    public Task<KeySlots> ReadAsync(CancellationToken cancellationToken)
    {
        var primary = FromEnvironment(KeySlots.PrimaryName);
        var secondary = FromEnvironment(KeySlots.SecondaryName);
        return Task.FromResult(new KeySlots(primary, secondary));
    }

    FernetKey? FromEnvironment(string name)
    {
        processEnvironment.TryGetValue(name, out var text);
        if (string.IsNullOrEmpty(text)) return null;
        return FernetKey.Parse(text, $"environment variable {name} (passed in from the {Description} secret; the workflow must map it with env:)");
    }

    /// <summary>
    /// Fetching the public key proves the token, the repository or environment, and read access to its secrets.
    /// GitHub has no dry way to prove `secrets: write`; a missing write permission shows as a 403 on the first write.
    /// </summary>
    public async Task CheckWritableAsync(CancellationToken cancellationToken) =>
        await GetPublicKeyAsync(cancellationToken);

    public async Task WriteAsync(KeySlots slots, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.GitHub, DescribeWrite(slots));
        if (slots.Primary is null)
            throw new ArgumentException($"refusing to write {Description} without a {KeySlots.PrimaryName}: the app cannot start without it", nameof(slots));

        // GitHub writes one secret per request, so the two slots cannot change as one. V2 goes first: if the run dies
        // between the two requests, V1 still holds the old primary (under which the config and sessions are), and V2
        // holds a copy of it, so the app still starts and reads its data. Writing V1 first would leave a fresh V1 that
        // nothing is encrypted under, next to a V2 that does not hold the old V1 either. The old V2 is in the snapshot.
        var publicKey = await GetPublicKeyAsync(cancellationToken);
        if (slots.Secondary is null) await DeleteAsync(KeySlots.SecondaryName, cancellationToken);
        else await PutAsync(KeySlots.SecondaryName, slots.Secondary, publicKey, cancellationToken);
        await PutAsync(KeySlots.PrimaryName, slots.Primary, publicKey, cancellationToken);
    }

    /// <summary>One secret besides the two slots (e.g. a fleet's next key, handed to every host job); null deletes it.</summary>
    public async Task WriteNamedAsync(string name, FernetKey? key, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.GitHub, $"would write {name} = {Show(key)} to {Description}");
        if (key is null) await DeleteAsync(name, cancellationToken);
        else await PutAsync(name, key, await GetPublicKeyAsync(cancellationToken), cancellationToken);
    }

    public string DescribeWrite(KeySlots slots) =>
        $"would write {KeySlots.SecondaryName} = {Show(slots.Secondary)}, then {KeySlots.PrimaryName} = {Show(slots.Primary)} " +
        $"to {Description}, each sealed with the {scope.Kind[7..]}'s public key";

    static string Show(FernetKey? key) => key is null ? "(delete)" : key.Fingerprint.ToString();

    async Task<SecretsPublicKey> GetPublicKeyAsync(CancellationToken cancellationToken)
    {
        var operation = Operation($"read the secrets public key of {Where}", "secrets: read");
        return scope.Environment is null
            ? await call.RunAsync(operation, () => client.Repository.Actions.Secrets.GetPublicKey(options.Owner, options.Repository), cancellationToken)
            : await call.RunAsync(operation, () => new ApiConnection(client.Connection).Get<SecretsPublicKey>(EnvironmentSecretsUri("public-key")), cancellationToken);
    }

    async Task PutAsync(string name, FernetKey key, SecretsPublicKey publicKey, CancellationToken cancellationToken)
    {
        var body = new UpsertRepositorySecret { EncryptedValue = Seal(key, publicKey), KeyId = publicKey.KeyId };
        var operation = Operation($"write secret {name} of {Where}", "secrets: write");
        if (scope.Environment is null)
            await call.RunAsync(operation, () => client.Repository.Actions.Secrets.CreateOrUpdate(options.Owner, options.Repository, name, body), cancellationToken);
        else
            await call.RunAsync(operation, () => client.Connection.Put(EnvironmentSecretsUri(name), body), cancellationToken);
    }

    async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var operation = Operation($"delete secret {name} of {Where}", "secrets: write");
        if (scope.Environment is null)
            await call.RunAsync(operation, () => client.Repository.Actions.Secrets.Delete(options.Owner, options.Repository, name), cancellationToken);
        else
            await call.RunAsync(operation, () => client.Connection.Delete(EnvironmentSecretsUri(name)), cancellationToken);
    }

    /// <summary>A libsodium sealed box under GitHub's public key: only GitHub can open it.</summary>
    internal static string Seal(FernetKey key, SecretsPublicKey publicKey)
    {
        var sealedBox = SealedPublicKeyBox.Create(Encoding.UTF8.GetBytes(key.Text), Convert.FromBase64String(publicKey.Key));
        return Convert.ToBase64String(sealedBox);
    }

    Uri EnvironmentSecretsUri(string leaf) => new(
        $"repos/{Uri.EscapeDataString(options.Owner)}/{Uri.EscapeDataString(options.Repository)}/environments/{Uri.EscapeDataString(scope.Environment!)}/secrets/{leaf}",
        UriKind.Relative);

    GitHubOperation Operation(string action, string permission) => new(action, permission, Where);
}
