using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using Serilog;

namespace RoboDJ.KeyRotation.Swarm;

/// <summary>
/// The Swarm API calls the phased rotation makes (services, secrets, tasks), through Docker.DotNet with the engine's own
/// API version (unversioned paths; the engine here speaks 1.41). Transport failures become
/// <see cref="DockerEngineUnreachableException"/>; a key's text only ever goes into a secret object's data.
/// </summary>
public sealed class SwarmEngine(Uri address) : IDisposable
{
    readonly DockerClient client = new DockerClientConfiguration(address, defaultTimeout: TimeSpan.FromSeconds(30)).CreateClient();

    public Uri Address { get; } = address;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public async Task RequireManagerAsync(CancellationToken cancellationToken)
    {
        var info = await Call(() => client.System.GetSystemInfoAsync(cancellationToken), cancellationToken);
        var state = info.Swarm?.LocalNodeState ?? "inactive";
        if (state != "active" || info.Swarm?.ControlAvailable != true)
            throw new SwarmNotActiveException(Address.ToString(), state == "active" ? "active, but a worker" : state);
    }

    /// <summary>The service with exactly this name (the API's name filter also matches prefixes).</summary>
    public async Task<SwarmService> FindServiceAsync(string name, CancellationToken cancellationToken)
    {
        var services = await Call(() => client.Swarm.ListServicesAsync(
            new ServicesListParameters { Filters = new ServiceFilter { Name = [name] } }, cancellationToken), cancellationToken);
        return services.FirstOrDefault(s => s.Spec.Name == name) ?? throw new SwarmServiceNotFoundException(name, Address.ToString());
    }

    /// <summary>The secrets the service's spec mounts, by target file name.</summary>
    public static IReadOnlyDictionary<string, SwarmSecretMount> MountedSecrets(SwarmService service) =>
        (service.Spec.TaskTemplate?.ContainerSpec?.Secrets ?? [])
        .Where(s => s.File?.Name is { Length: > 0 })
        .ToDictionary(s => s.File.Name, s => new SwarmSecretMount(s.File.Name, s.SecretID, s.SecretName), StringComparer.Ordinal);

    /// <summary>
    /// The secret object holding this key: one the rotation made earlier (found by its fingerprint label), else a new
    /// one named <see cref="SwarmSecretName.For"/>. Idempotent, so a resumed phase reuses the object.
    /// </summary>
    public async Task<SwarmSecretMount> EnsureSecretAsync(FernetKey key, string service, string prefix, CancellationToken cancellationToken)
    {
        var name = SwarmSecretName.For(key, prefix);
        var existing = (await ListSecretsAsync(cancellationToken)).FirstOrDefault(s => s.Spec.Name == name);
        if (existing is not null)
        {
            if (existing.Spec.Labels?.TryGetValue(SwarmSecretName.FingerprintLabel, out var fp) != true || fp != key.Fingerprint.Hex)
                throw new SwarmSecretNameTakenException(name, key.Fingerprint.ToString());
            return new SwarmSecretMount("", existing.ID, name);
        }
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"create swarm secret {name} ({key.Fingerprint})");
        var created = await Call(() => client.Secrets.CreateAsync(new SecretSpec
        {
            Name = name,
            Data = Encoding.UTF8.GetBytes(key.Text),
            Labels = new Dictionary<string, string> { [SwarmSecretName.ServiceLabel] = service, [SwarmSecretName.FingerprintLabel] = key.Fingerprint.Hex },
        }, cancellationToken), cancellationToken);
        Log.Information("Created swarm secret {Secret} for {Fingerprint}", name, key.Fingerprint.ToString());
        return new SwarmSecretMount("", created.ID, name);
    }

    public Task<IList<Secret>> ListSecretsAsync(CancellationToken cancellationToken) =>
        Call(() => client.Secrets.ListAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Points the service's secret targets at other secret objects, keeping each mount's uid, gid and mode. Swarm then
    /// replaces the tasks by its update config (replica by replica). <paramref name="force"/> restarts the tasks even
    /// when the mounts are already these (a resumed phase needs fresh key checks).
    /// </summary>
    public async Task UpdateSecretsAsync(SwarmService service, IReadOnlyDictionary<string, SwarmSecretMount> byTarget, bool force, CancellationToken cancellationToken)
    {
        var name = service.Spec.Name;
        var spec = service.Spec;
        var container = spec.TaskTemplate.ContainerSpec;
        var secrets = container.Secrets?.ToList() ?? [];
        foreach (var (target, mount) in byTarget)
        {
            var index = secrets.FindIndex(s => s.File?.Name == target);
            if (index < 0) throw new SwarmSecretTargetMissingException(name, target);
            secrets[index] = new SecretReference { SecretID = mount.SecretId, SecretName = mount.SecretName, File = secrets[index].File };
        }
        container.Secrets = secrets;
        if (force) spec.TaskTemplate.ForceUpdate++;
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process,
            $"update swarm service {name}: {string.Join(", ", byTarget.Select(p => $"{p.Key} <- {p.Value.SecretName}"))}");
        var response = await Call(() => client.Swarm.UpdateServiceAsync(service.ID, new ServiceUpdateParameters
        {
            Service = spec,
            Version = (long)service.Version.Index,
        }, cancellationToken), cancellationToken);
        foreach (var warning in response.Warnings ?? []) Log.Warning("Swarm service {Service}: {Warning}", name, warning);
        Log.Information("Updated swarm service {Service}: {Mounts}", name, string.Join(", ", byTarget.Select(p => $"{p.Key} <- {p.Value.SecretName}")));
    }

    /// <summary>The tasks Swarm wants running (desired state running), whatever their current state.</summary>
    public Task<IList<TaskResponse>> ListTasksAsync(string serviceId, CancellationToken cancellationToken) =>
        Call(() => client.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["service"] = new Dictionary<string, bool> { [serviceId] = true },
                ["desired-state"] = new Dictionary<string, bool> { ["running"] = true },
            },
        }, cancellationToken), cancellationToken);

    /// <summary>
    /// Waits until the rollout converged: the update is no longer in progress, and every replica runs a task whose
    /// secrets and force-update counter are the service's current ones. A paused or rolled-back update fails at once.
    /// </summary>
    public async Task<SwarmService> WaitConvergedAsync(string serviceName, TimeSpan timeout, IProgress<LogMessage>? progress, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var lastReport = DateTimeOffset.MinValue;
        string? lastState = null;
        while (true)
        {
            var service = await FindServiceAsync(serviceName, cancellationToken);
            var update = service.UpdateStatus?.State ?? "none";
            if (update is "paused" or "rollback_started" or "rollback_paused" or "rollback_completed")
                throw new SwarmRolloutFailedException(serviceName, update, service.UpdateStatus?.Message);
            var tasks = await ListTasksAsync(service.ID, cancellationToken);
            var wanted = (int)(service.Spec.Mode?.Replicated?.Replicas ?? 1);
            var current = tasks.Count(t => t.Status?.State == TaskState.Running && OnSpec(t, service.Spec));
            var state = $"update {update}, {current}/{wanted} replicas running the new spec";
            if (update != "updating" && current == wanted && tasks.Count == wanted)
            {
                Log.Information("Swarm service {Service} converged: {State}", serviceName, state);
                return service;
            }
            var now = DateTimeOffset.UtcNow;
            if (now >= deadline) throw new SwarmRolloutTimeoutException(serviceName, timeout, state);
            if (state != lastState || now - lastReport >= TimeSpan.FromSeconds(2))
            {
                // The caller's progress is its log; without one, log here.
                (progress ?? LogMessage.Progress).Report(new("swarm service {Service}: {State}", serviceName, state));
                lastState = state;
                lastReport = now;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    static bool OnSpec(TaskResponse task, ServiceSpec spec)
    {
        static string Ids(IEnumerable<SecretReference>? secrets) =>
            string.Join(",", (secrets ?? []).Select(s => $"{s.File?.Name}={s.SecretID}").Order(StringComparer.Ordinal));
        return Ids(task.Spec?.ContainerSpec?.Secrets) == Ids(spec.TaskTemplate.ContainerSpec.Secrets)
               && task.Spec?.ForceUpdate == spec.TaskTemplate.ForceUpdate;
    }

    /// <summary>
    /// Removes the secret objects that <paramref name="candidate"/> accepts and that no service's spec mounts. One that a
    /// task still holds is refused by the engine and kept (named in the log); returns the names removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveUnusedSecretsAsync(Func<Secret, bool> candidate, CancellationToken cancellationToken)
    {
        var services = await Call(() => client.Swarm.ListServicesAsync(new ServicesListParameters(), cancellationToken), cancellationToken);
        var used = services.SelectMany(s => s.Spec.TaskTemplate?.ContainerSpec?.Secrets ?? []).Select(s => s.SecretID).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var secret in (await ListSecretsAsync(cancellationToken)).Where(s => candidate(s) && !used.Contains(s.ID)))
        {
            Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Process, $"remove unused swarm secret {secret.Spec.Name}");
            try
            {
                await Call(async () => { await client.Secrets.DeleteAsync(secret.ID, cancellationToken); return true; }, cancellationToken);
                removed.Add(secret.Spec.Name);
                Log.Information("Removed unused swarm secret {Secret}", secret.Spec.Name);
            }
            catch (DockerApiException e)
            {
                Log.Warning("Kept swarm secret {Secret}: the engine refused to remove it ({Status}); `docker secret rm {Secret}` once no task uses it",
                    secret.Spec.Name, (int)e.StatusCode, secret.Spec.Name);
            }
        }
        return removed;
    }

    Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken) => DockerCall.Guard(Address, call, cancellationToken);

    public void Dispose() => client.Dispose();
}
