using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Swarm;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>
/// A replicated RoboDJ on the test engine's swarm: the Python reference app in the busybox image with the host's python
/// mounted, N replicas on the host network, each on port base + slot, all sharing one bind-mounted deployment tree and
/// each with its own config/logs (mounted from config/logs/replica-{slot}). The entrypoint reads the keys from
/// /run/secrets/robodj_v1 and robodj_v2 into the environment, where they win over .env (load_dotenv override=False).
/// </summary>
sealed class SwarmSite : IAsyncDisposable
{
    public const int Replicas = 3;
    readonly TempDir dir = new("robodj-swarm");

    SwarmSite(int portBase, string env)
    {
        PortBase = portBase;
        Env = env;
        Service = "robodj-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    public string Root => dir.Path;
    /// <summary>The deployment's ROBODJ_ENV.</summary>
    public string Env { get; }
    public string Service { get; }
    public int PortBase { get; }
    public FernetKey V1 { get; } = FernetKey.Generate();
    public FernetKey V2 { get; } = FernetKey.Generate();
    public string Password { get; } = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    public DashboardCredentials Dashboard => new("admin", Password);
    public DeploymentScope Scope => new(new DeploymentPaths(Root));
    public string StartupLog(int slot) => Path.Combine(Root, "config", "logs", $"replica-{slot}", "startup_safety_events.jsonl");
    public int Port(int slot) => PortBase + slot;

    public SwarmOptions Options => new(Service) { DashboardPortBase = PortBase, RolloutTimeout = TimeSpan.FromMinutes(2) };

    /// <summary>The phased rotation of this deployment; <paramref name="killedAfter"/>: it stops at that phase's boundary (<see cref="KilledAtPhaseBoundary"/>).</summary>
    public PhasedRotation Rotation(SwarmEngine engine, RotationStep? killedAfter = null) =>
        new(new PhasedRotationSettings(Scope, Env, Dashboard, TimeSpan.FromSeconds(60)), new SwarmReplicaSet(engine, Options, Root))
        {
            AfterPhase = (step, _) => step == killedAfter ? throw new KilledAtPhaseBoundary() : Task.CompletedTask,
        };

    /// <summary>Clients of every replica, as behind a load balancer.</summary>
    public LoadGenerator Load() => new(Enumerable.Range(1, Replicas).Select(Port).ToList(), Password);

    public static async Task<SwarmSite> StartAsync(int fieldsUnderV1, int fieldsUnderV2, string env = "sandbox")
    {
        var site = new SwarmSite(LoopbackPorts.FreeBase(Replicas), env);
        try { await site.StartAsync(Enumerable.Range(0, fieldsUnderV1).Select(i => $"v1-secret-{i}").ToList(), Enumerable.Range(0, fieldsUnderV2).Select(i => $"v2-secret-{i}").ToList()); }
        catch { await site.DisposeAsync(); throw; }
        return site;
    }

    async Task StartAsync(IReadOnlyList<string> underV1, IReadOnlyList<string> underV2)
    {
        AtomicFile.WriteAllText(Path.Combine(Root, ".env"),
            $"ROBODJ_ENV={Env}\nROBODJ_DASHBOARD_PASSWORD={Password}\nROBODJ_SECRET_KEY={V1.Text}\nROBODJ_SECRET_V2_KEY={V2.Text}\n");
        var stations = PythonReferencePeer.Encrypt(V1.Text, underV1).Concat(PythonReferencePeer.Encrypt(V2.Text, underV2))
            .Select((token, i) => new { name = $"station-{i}", password = "enc:" + token }).ToList();
        Directory.CreateDirectory(Path.Combine(Root, "config"));
        AtomicFile.WriteAllText(Path.Combine(Root, "config", "settings.json"), JsonSerializer.Serialize(new { stations }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        for (var slot = 1; slot <= Replicas; slot++) Directory.CreateDirectory(Path.GetDirectoryName(StartupLog(slot))!);

        DockerCli.RunWithInput(V1.Text, "secret", "create", Service + "_initial_v1", "-");
        DockerCli.RunWithInput(V2.Text, "secret", "create", Service + "_initial_v2", "-");
        const string entrypoint =
            "export ROBODJ_SECRET_KEY=\"$(cat /run/secrets/robodj_v1)\" ROBODJ_SECRET_V2_KEY=\"$(cat /run/secrets/robodj_v2)\" " +
            "ROBODJ_DASHBOARD_URL=\"http://127.0.0.1:$((ROBODJ_PORT_BASE + ROBODJ_REPLICA_SLOT))\"; " +
            "exec " + DockerPeer.ContainerPython + " /peer/robodj_reference_app.py --root /app --pid-file config/logs/robodj.pid";
        DockerCli.Run("service", "create", "--detach=true", "--name", Service, "--replicas", Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--network", "host", "--init", "--stop-grace-period", "5s",
            "--update-parallelism", "1", "--update-order", "stop-first", "--update-delay", "0s", "--update-monitor", "1s", "--update-failure-action", "pause",
            "--secret", $"source={Service}_initial_v1,target=robodj_v1", "--secret", $"source={Service}_initial_v2,target=robodj_v2",
            "--mount", "type=bind,src=/usr,dst=/usr,ro", "--mount", "type=bind,src=/lib,dst=/lib,ro", "--mount", "type=bind,src=/lib64,dst=/lib64,ro",
            "--mount", $"type=bind,src={Root},dst=/app",
            "--mount", $"type=bind,src={Root}/config/logs/replica-{{{{.Task.Slot}}}},dst=/app/config/logs",
            "--mount", $"type=bind,src={PythonReferencePeer.PeersFolder},dst=/peer,ro",
            "--env", "ROBODJ_REPLICA_SLOT={{.Task.Slot}}", "--env", $"ROBODJ_PORT_BASE={PortBase}",
            DockerPeer.Image, "sh", "-c", entrypoint);
        await WaitForEveryReplicaAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Every replica logged its PASS and answers on its port.</summary>
    async Task WaitForEveryReplicaAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var slot = 1; slot <= Replicas; slot++)
        {
            while (!(File.Exists(StartupLog(slot)) && File.ReadAllText(StartupLog(slot)).Contains("check: PASS", StringComparison.Ordinal) && LoopbackPorts.Listens(Port(slot))))
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"replica {slot} of {Service} did not come up: {DockerCli.TryRun(null, "service", "ps", "--no-trunc", Service).Stdout}");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>The latest key check line of each replica's own log.</summary>
    public IReadOnlyList<JsonElement> LastKeyChecks() => Enumerable.Range(1, Replicas).Select(slot =>
    {
        var line = File.ReadAllLines(StartupLog(slot)).Last(l => l.Contains("\"key_check\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }).ToList();

    /// <summary>The secret objects the service's spec mounts, target → name.</summary>
    public IReadOnlyDictionary<string, string> MountedSecrets()
    {
        var json = DockerCli.Run("service", "inspect", Service, "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Secrets}}");
        return JsonDocument.Parse(json).RootElement.EnumerateArray()
            .ToDictionary(s => s.GetProperty("File").GetProperty("Name").GetString()!, s => s.GetProperty("SecretName").GetString()!);
    }

    /// <summary>SHA-256 of every file but the replicas' own logs and pid files (config/logs/), which they write while running.</summary>
    public Dictionary<string, string> Hashes() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(rel => !rel.StartsWith("config/logs/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToDictionary(rel => rel, rel => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, rel)))));

    /// <summary>What a rollout would move: the service's spec, whether it has a previous one, and its running tasks (replaced by a rollout).</summary>
    public string ServiceState() =>
        DockerCli.Run("service", "inspect", Service, "--format", "{{json .Spec}} {{if .PreviousSpec}}updated{{else}}never updated{{end}}") +
        DockerCli.Run("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", Service);

    /// <summary>The service's state and its secret objects (other tests' come and go on the same engine).</summary>
    public string SwarmState() => ServiceState() + string.Join(",", OwnSecretNames().Order(StringComparer.Ordinal));

    /// <summary>The secret objects of this service: the ones the site made, and those the rotation labelled as made for it.</summary>
    IEnumerable<string> OwnSecretNames() =>
        SecretNames().Where(n => n.StartsWith(Service, StringComparison.Ordinal)).Concat(
            DockerCli.TryRun(null, "secret", "ls", "--filter", $"label={SwarmSecretName.ServiceLabel}={Service}", "--format", "{{.Name}}").Stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public IReadOnlyList<string> SecretNames() =>
        DockerCli.Run("secret", "ls", "--format", "{{.Name}}").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async ValueTask DisposeAsync()
    {
        DockerCli.TryRun(null, "service", "rm", Service);
        for (var i = 0; i < 100; i++)
        {
            var (_, ids, _) = DockerCli.TryRun(null, "ps", "-aq", "--filter", $"label=com.docker.swarm.service.name={Service}");
            if (ids.Trim().Length == 0) break;
            await Task.Delay(300);
        }
        foreach (var name in OwnSecretNames().ToList())
            DockerCli.TryRun(null, "secret", "rm", name);
        dir.Dispose();
    }
}
