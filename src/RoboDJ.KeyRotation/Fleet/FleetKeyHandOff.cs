using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// How the new key reaches every host once and only once when the fleet rotates as a GitHub Actions matrix: the first
/// job generates it and stores it sealed as the environment secret <see cref="FleetKeys.NextName"/>; every later job
/// gets it from its own secret mapping, so it never travels through job outputs, artifacts or logs. A rerun of the
/// first job keeps a next key that is already stored. The last job promotes it (V2 := V1, V1 := next) and deletes it.
/// </summary>
public sealed class FleetKeyHandOff(GitHubSecretStore environmentStore, Func<string, string?> environment)
{
    public async Task<string> GenerateOnceAsync(CancellationToken cancellationToken)
    {
        var current = await environmentStore.ReadAsync(cancellationToken);
        if (current.Primary is null) throw new MissingKeyException($"environment variable {KeySlots.PrimaryName}", KeySlots.PrimaryName);
        if (environment(FleetKeys.NextName) is { Length: > 0 } text)
        {
            var stored = FernetKey.Parse(text, $"environment variable {FleetKeys.NextName}");
            if (!stored.Equals(current.Primary) && !stored.Equals(current.Secondary))
                return $"next key {stored.Fingerprint} already in {environmentStore.Description}: kept (a rerun generates none)";
        }
        var next = FernetKey.Generate();
        await environmentStore.WriteNamedAsync(FleetKeys.NextName, next, cancellationToken);
        Log.Information("Next key {Fingerprint} stored sealed as {Name} in {Store}", next.Fingerprint.ToString(), FleetKeys.NextName, environmentStore.Description);
        return $"next key {next.Fingerprint} generated and stored sealed as {FleetKeys.NextName} in {environmentStore.Description}";
    }

    /// <summary>After phase 3 on every host: the store's slots become the pair every host runs, and the hand-off copy goes.</summary>
    public async Task<string> PromoteAsync(CancellationToken cancellationToken)
    {
        var keys = FleetKeys.FromEnvironment(environment);
        await environmentStore.WriteAsync(new KeySlots(keys.Next, keys.Primary), cancellationToken);
        await environmentStore.WriteNamedAsync(FleetKeys.NextName, null, cancellationToken);
        return $"{environmentStore.Description}: V1 {keys.Next.Fingerprint}, V2 {keys.Primary.Fingerprint}; {FleetKeys.NextName} deleted";
    }
}
