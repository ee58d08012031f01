using System.Security.Cryptography;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// A fleet of desktop deployments of the Python reference app on this machine: shared/ holds the one config tree (its
/// tokens made by python's Fernet) and the rotation's .env; each host-N/ has its own .env (same key pair, its own
/// dashboard port), its own launcher, pid file and app process, a config/ that is a link to shared/config, and its own
/// startup log under it (config/logs/host-N/). fleet.yaml lists the hosts. Disposing stops every app and removes it all.
/// </summary>
sealed class FleetSite : IAsyncDisposable
{
    public const int Hosts = 3;
    readonly TempDir dir = new("robodj-fleet");
    readonly string tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    FleetSite(int portBase)
    {
        PortBase = portBase;
        SecretRedactor.Register(Password);
    }

    public string SharedRoot => dir.Combine("shared");
    public string FleetFilePath => dir.Combine("fleet.yaml");
    public int PortBase { get; }
    public FernetKey V1 { get; } = FernetKey.Generate();
    public FernetKey V2 { get; } = FernetKey.Generate();
    public string Password { get; } = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    public DashboardCredentials Dashboard => new("admin", Password);
    public DeploymentScope Scope => new(new DeploymentPaths(SharedRoot));
    public IReadOnlyList<string> Canaries => [V1.Text, V2.Text, Password];
    /// <summary>The fleet file as written at start (a test may break the file afterwards; disposing still finds every host).</summary>
    public FleetFile Fleet { get; private set; } = null!;
    public IReadOnlyList<int> Ports => Enumerable.Range(1, Hosts).Select(Port).ToList();

    public string HostRoot(int n) => dir.Combine($"host-{n}");
    public int Port(int n) => PortBase + n;
    public string StartupLog(int n) => Path.Combine(SharedRoot, "config", "logs", $"host-{n}", "startup_safety_events.jsonl");
    public string ProcessName(int n) => $"robodj-fleet-{tag}-{n}";

    public PhasedRotationSettings PhasedSettings => new(Scope, "sandbox", Dashboard, TimeSpan.FromSeconds(60));

    /// <summary>The phased rotation of this fleet; <paramref name="killedAfter"/>: it stops at that phase's boundary (<see cref="Swarm.KilledAtPhaseBoundary"/>), as <see cref="Swarm.SwarmSite.Rotation"/> does.</summary>
    public PhasedRotation Rotation(RotationStep? killedAfter = null) => new(PhasedSettings, ReplicaSet())
    {
        AfterPhase = (step, _) => step == killedAfter ? throw new Swarm.KilledAtPhaseBoundary() : Task.CompletedTask,
    };

    public FleetReplicaSet ReplicaSet() => new(Fleet, new DeploymentPaths(SharedRoot), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    public static async Task<FleetSite> StartAsync(int fieldsUnderV1, int fieldsUnderV2)
    {
        var site = new FleetSite(LoopbackPorts.FreeBase(Hosts));
        try { await site.StartAsync(Enumerable.Range(0, fieldsUnderV1).Select(i => $"v1-secret-{i}").ToList(), Enumerable.Range(0, fieldsUnderV2).Select(i => $"v2-secret-{i}").ToList()); }
        catch { await site.DisposeAsync(); throw; }
        return site;
    }

    async Task StartAsync(IReadOnlyList<string> underV1, IReadOnlyList<string> underV2)
    {
        Directory.CreateDirectory(Path.Combine(SharedRoot, "config"));
        AtomicFile.WriteAllText(Path.Combine(SharedRoot, ".env"),
            $"# the fleet's shared deployment: the pair being rolled out\nROBODJ_ENV=sandbox\nROBODJ_SECRET_KEY={V1.Text}\nROBODJ_SECRET_V2_KEY={V2.Text}\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var stations = PythonReferencePeer.Encrypt(V1.Text, underV1).Concat(PythonReferencePeer.Encrypt(V2.Text, underV2))
            .Select((token, i) => new { name = $"station-{i}", password = "enc:" + token }).ToList();
        AtomicFile.WriteAllText(Path.Combine(SharedRoot, "config", "settings.json"), JsonSerializer.Serialize(new { stations }, new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var yaml = new System.Text.StringBuilder("# RoboDJ fleet of the test (FleetSite)\nhosts:\n");
        for (var n = 1; n <= Hosts; n++)
        {
            var root = Directory.CreateDirectory(HostRoot(n)).FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(StartupLog(n))!);
            File.CreateSymbolicLink(Path.Combine(root, "config"), Path.Combine(SharedRoot, "config"));
            AtomicFile.WriteAllText(Path.Combine(root, ".env"),
                $"ROBODJ_ENV=sandbox\nexport ROBODJ_SECRET_KEY=\"{V1.Text}\"\nROBODJ_SECRET_V2_KEY='{V2.Text}'\r\n" +
                $"ROBODJ_DASHBOARD_URL=http://127.0.0.1:{Port(n)}\nROBODJ_DASHBOARD_PASSWORD=\"{Password}\"\nROBODJ_STATION_NAME=\"Studio {n} # night\"  # kept as it is\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // bash for `exec -a`: the app's process carries the host's name, and exec keeps the pid the runtime started.
            AtomicFile.WriteAllText(Path.Combine(root, "RoboDJ_Launcher.sh"),
                $"#!/bin/bash\nexec -a '{ProcessName(n)}' '{PythonReferencePeer.Interpreter}' '{PythonReferencePeer.AppScript}' --root '{root}' " +
                $"--pid-file robodj.pid --startup-log 'config/logs/host-{n}/startup_safety_events.jsonl'\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            yaml.Append($"  - name: host-{n}\n    runner: robodj-host-{n}\n    root: host-{n}\n    dashboard: http://127.0.0.1:{Port(n)}/\n")
                .Append($"    startup_log: config/logs/host-{n}/startup_safety_events.jsonl\n    launcher: RoboDJ_Launcher.sh\n")
                .Append($"    process_name: {ProcessName(n)}\n    pid_file: robodj.pid\n    launcher_log: launcher.log\n");
        }
        AtomicFile.WriteAllText(FleetFilePath, yaml.ToString());
        Fleet = FleetFile.Load(FleetFilePath);
        foreach (var host in Fleet.Hosts)
            await new FleetHostRuntime(host, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60))
                .RollOutAsync(new KeySlots(V1, V2), null, CancellationToken.None);
    }

    /// <summary>The latest key check line of each host's own log.</summary>
    public IReadOnlyList<JsonElement> LastKeyChecks() => Enumerable.Range(1, Hosts).Select(n =>
    {
        var line = File.ReadAllLines(StartupLog(n)).Last(l => l.Contains("\"key_check\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }).ToList();

    /// <summary>Each host's .env as python-dotenv reads it (fingerprints only).</summary>
    public IReadOnlyList<PythonCensus> HostCensuses() => Enumerable.Range(1, Hosts).Select(n => PythonReferencePeer.Census(HostRoot(n))).ToList();

    /// <summary>Every file the test made or the rotation wrote, for the canary scan.</summary>
    public IEnumerable<string> TextFilesOutsideEnv() =>
        Directory.EnumerateFiles(dir.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(f => Path.GetFileName(f) != ".env" && !f.Contains($"{Path.DirectorySeparatorChar}snapshot{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Fleet?.Hosts ?? [])
        {
            var runtime = new DesktopRuntime(new DesktopOptions { DeploymentRoot = host.Root, ProcessName = host.ProcessName, PidFile = host.PidFile, Launcher = host.Launcher, GracePeriod = TimeSpan.FromSeconds(5) });
            try { await runtime.StopAsync(CancellationToken.None); }
            catch (Exception e) when (e is RuntimeException or IOException) { }
        }
        dir.Dispose();
    }
}
