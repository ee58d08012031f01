using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Testing;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>How the site runs the reference app.</summary>
public enum PythonSiteRuntime
{
    /// <summary>The desktop runtime through RoboDJ_Launcher.sh, on the interpreter that imports cryptography and dotenv.</summary>
    Desktop,
    /// <summary>A compose project: the busybox test image with the host's /usr, /lib and /lib64 read-only, host network.</summary>
    Docker,
}

/// <summary>
/// A deployment of the Python reference app (tests/peers/robodj_reference_app.py) in a temp folder, run by the desktop
/// runtime through RoboDJ_Launcher.sh or by docker compose. The .env carries `export`, both quote styles, a `#` inside quotes, a comment
/// after a value and one CRLF line; the config's tokens come from python's Fernet. Disposing stops the app and removes
/// the folder.
/// </summary>
public sealed class PythonSite : IAsyncDisposable
{
    public const string LauncherName = "RoboDJ_Launcher.sh";
    public const string PidFileName = "robodj.pid";
    public const string LauncherLog = "config/logs/launcher.log";
    public const string V1Line = "export ROBODJ_SECRET_KEY=";
    public const string V2Line = "ROBODJ_SECRET_V2_KEY=";
    public const string ComposeFileName = "docker-compose.yaml";
    public const int FieldCount = 6;

    readonly TempDir temp;
    readonly double? silentLateClose;
    readonly double? dashboardAfter;
    readonly PythonSiteRuntime runtime;

    PythonSite(TempDir temp, string root, int port, FernetKey v1, FernetKey v2, string password, double? silentLateClose, PythonSiteRuntime runtime, string env,
        double? dashboardAfter = null)
    {
        this.runtime = runtime;
        Env = env;
        this.silentLateClose = silentLateClose;
        this.dashboardAfter = dashboardAfter;
        this.temp = temp;
        Root = root;
        Port = port;
        V1 = v1;
        V2 = v2;
        DashboardPassword = password;
        // One name per site, so the runtime can never find another site's app (or anything else) by name.
        ProcessName = "robodj-ref-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Canaries = [v1.Text, v2.Text, password];
    }

    public string Root { get; }
    /// <summary>The deployment's ROBODJ_ENV, and the --env its build arguments give.</summary>
    public string Env { get; }
    public int Port { get; }
    public string ProcessName { get; }
    public string ComposeProject { get; private set; } = "";
    public bool InContainer => runtime == PythonSiteRuntime.Docker;
    public FernetKey V1 { get; }
    public FernetKey V2 { get; }
    public string DashboardPassword { get; }
    public DeploymentPaths Paths => new(Root);
    public List<string> Canaries { get; }

    /// <param name="silentLateClose">The app's HTTP quirk: answer without a Connection header and close the connection
    /// this many seconds after each answer (null: every answer says "Connection: close").</param>
    /// <param name="under">The folder to put the deployment in (a test's own file system, e.g. a small tmpfs); null: a temp folder.</param>
    /// <param name="dashboardAfter">The app's other quirk: it logs PASS first and listens on its dashboard's port this
    /// many seconds later.</param>
    public static async Task<PythonSite> CreateAsync(bool start = true, double? silentLateClose = null, PythonSiteRuntime runtime = PythonSiteRuntime.Desktop,
        string env = "sandbox", string? under = null, double? dashboardAfter = null)
    {
        if (runtime == PythonSiteRuntime.Docker) DockerPeer.RequireImage();
        var temp = new TempDir("robodj-python-site");
        var root = Directory.CreateDirectory(Path.Combine(under ?? temp.Path, "deployment")).FullName;
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_') + "#in-quotes";
        SecretRedactor.Register(password);
        var site = new PythonSite(temp, root, LoopbackPorts.Free(), FernetKey.Generate(), FernetKey.Generate(), password, silentLateClose, runtime, env, dashboardAfter);
        site.ComposeProject = "robodjpy" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        site.WriteEnvFile();
        site.WriteConfig();
        if (runtime == PythonSiteRuntime.Docker) site.WriteCompose(); else site.WriteLauncher();
        if (start) await site.StartAsync();
        return site;
    }

    /// <summary>The build's arguments for this deployment: the desktop runtime with this site's launcher, pid file and name.</summary>
    public string[] BuildArgs(string target) => InContainer
        ? [target, "--env", Env, "--deployment-root", Root, "--runtime", "docker", "--compose-project", ComposeProject,
            "--compose-file", ComposeFileName, "--stop-timeout", "5"]
        : [
        target, "--env", Env, "--deployment-root", Root, "--runtime", "desktop", "--launcher", LauncherName,
        "--pid-file", PidFileName, "--process-name", ProcessName, "--launcher-log", LauncherLog,
    ];

    /// <summary>
    /// The same settings as <see cref="BuildArgs"/> (desktop runtime), as the build's .nuke/parameters.&lt;env&gt;.json under
    /// <paramref name="buildRoot"/>, so that a run with no flags but --env finds this deployment; announcements to the
    /// log only; <paramref name="overrides"/> replace or add entries (e.g. a bad value to plant).
    /// </summary>
    public void WriteParametersFile(string buildRoot, params (string Key, object Value)[] overrides)
    {
        var parameters = new Dictionary<string, object>
        {
            ["DeploymentRoot"] = Root, ["Runtime"] = "desktop", ["Store"] = "dotenv", ["Launcher"] = LauncherName, ["PidFile"] = PidFileName,
            ["ProcessName"] = ProcessName, ["LauncherLog"] = LauncherLog, ["AnnounceChannels"] = new[] { "log" },
        };
        foreach (var (key, value) in overrides) parameters[key] = value;
        File.WriteAllText(Path.Combine(buildRoot, ".nuke", $"parameters.{Env}.json"), JsonSerializer.Serialize(parameters));
    }

    /// <summary>
    /// The proof that one run rotated this deployment: V1 moved to V2, and the independent census opens every field with
    /// the new V1 alone; and no key, old or new, in <paramref name="output"/>. Returns the keys after it.
    /// </summary>
    public async Task<KeySlots> AssertRotatedOnceAsync(string output)
    {
        var keys = await KeysAsync();
        Assert.Equal(V1, keys.Secondary);
        var census = PythonCensus();
        Assert.Equal(keys.Primary!.Fingerprint.Hex, census.V1);
        Assert.Equal(FieldCount, census.UnderV1Alone);
        Assert.Empty(census.Undecryptable);
        Canary.AssertAbsent(output, Canaries.Append(keys.Primary.Text), "the build's output");
        return keys;
    }

    public DeploymentSettings Settings() => new()
    {
        Env = Env,
        Paths = Paths,
        Runtime = InContainer ? RuntimeKind.Docker : RuntimeKind.Desktop,
        Store = StoreKind.DotEnv,
        ComposeFile = ComposeFileName,
        ComposeProject = ComposeProject,
        ProcessName = ProcessName,
        Launcher = LauncherName,
        PidFile = PidFileName,
        LauncherLog = LauncherLog,
        StopTimeout = TimeSpan.FromSeconds(10),
        StartTimeout = TimeSpan.FromSeconds(60),
        VerifyTimeout = TimeSpan.FromSeconds(60),
    };

    public IRuntime Runtime() => RuntimeSelection.Create(Settings());

    public async Task StartAsync()
    {
        var offset = new RoboDJ.KeyRotation.Verification.StartupLog(Paths.StartupLog).CurrentOffset();
        await Runtime().StartAsync(DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
        await new RoboDJ.KeyRotation.Verification.StartupLog(Paths.StartupLog).WaitForPassAsync(offset, TimeSpan.FromSeconds(60), null, CancellationToken.None);
    }

    public async Task<bool> IsRunningAsync() => (await Runtime().StatusAsync(CancellationToken.None)).AnyRunning;

    public async Task<KeySlots> KeysAsync() => await new DotEnvSecretStore(Paths.DotEnv).ReadAsync(CancellationToken.None);

    public PythonCensus PythonCensus() => PythonReferencePeer.Census(Root);

    /// <summary>The pid in the app's pid file (0 when there is none).</summary>
    public int AppPid() => File.Exists(Path.Combine(Root, PidFileName)) && int.TryParse(File.ReadAllText(Path.Combine(Root, PidFileName)).Trim(), out var pid) ? pid : 0;

    /// <summary>The app's latest PASS line in the startup log.</summary>
    public JsonElement LastPass() =>
        File.ReadAllLines(Paths.StartupLog).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("message").GetString() == "Key presence/integrity check: PASS");

    /// <summary>SHA-256 of .env and of every config file but our own bookkeeping and the app's logs.</summary>
    public Dictionary<string, string> KeyAndConfigHashes() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(rel => rel == ".env" || (rel.StartsWith("config/") && !rel.StartsWith("config/key_rotation/")
                && !rel.StartsWith("config/incidents/") && !rel.StartsWith("config/logs/")))
            .Order(StringComparer.Ordinal)
            .ToDictionary(rel => rel, rel => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, rel)))));

    public byte[] EnvBytes() => File.ReadAllBytes(Paths.DotEnv);

    /// <summary>The number of lines of the unfinished journal; 0 while there is none or its first line is still being written.</summary>
    public int JournalLines()
    {
        try { return RoboDJ.KeyRotation.Journal.RotationJournal.FindUnfinished(Paths.KeyRotation)?.Entries.Count ?? 0; }
        catch (RoboDJ.KeyRotation.Journal.JournalCorruptException) { return 0; }
    }

    /// <summary>
    /// A field under a key nobody has any more, in config/logs/: in the rotation's scope, but skipped by the app, which
    /// would refuse to start with such a field among its own. Returns its file.
    /// </summary>
    public string PlantFieldUnderALostKey()
    {
        var token = PythonReferencePeer.Encrypt(FernetKey.Generate().Text, ["written under a lost key"])[0];
        var file = Path.Combine(Root, "config", "logs", "legacy.json");
        File.WriteAllText(file, $$"""{ "old_token": "{{token}}" }""" + "\n");
        return file;
    }

    /// <summary>
    /// <paramref name="files"/> more config files under config/bulk/, each with <paramref name="fieldsEach"/> fields, half
    /// under V1 and half under V2 (python's Fernet). Returns the number of fields added.
    /// </summary>
    public int AddConfigFiles(int files, int fieldsEach)
    {
        var count = files * fieldsEach;
        var underV1 = PythonReferencePeer.Encrypt(V1.Text, Enumerable.Range(0, count / 2).Select(i => $"bulk value {i}").ToList());
        var underV2 = PythonReferencePeer.Encrypt(V2.Text, Enumerable.Range(count / 2, count - count / 2).Select(i => $"bulk value {i}").ToList());
        var tokens = underV1.Concat(underV2).ToList();
        for (var f = 0; f < files; f++)
            WriteJson(Path.Combine(Paths.Config, "bulk", $"station-{f:D3}.json"),
                new { fields = tokens.Skip(f * fieldsEach).Take(fieldsEach).Select((token, i) => new { name = $"field {i}", secret = token }).ToArray() });
        return count;
    }

    void WriteEnvFile()
    {
        var text = "# RoboDJ reference deployment for the tests (PythonSite); the app reads it with python-dotenv.\n"
            + $"ROBODJ_ENV={Env}\n"
            + $"{V1Line}\"{V1.Text}\"\n"
            + $"{V2Line}'{V2.Text}'\r\n"
            + $"ROBODJ_DASHBOARD_URL=http://127.0.0.1:{Port}\n"
            + $"ROBODJ_DASHBOARD_PASSWORD=\"{DashboardPassword}\"\n"
            + "ROBODJ_STATION_NAME=\"Night # shift\"  # a comment after the quotes\n";
        AtomicFile.WriteAllText(Paths.DotEnv, text, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    void WriteConfig()
    {
        var underV1 = PythonReferencePeer.Encrypt(V1.Text, ["stream password", "service a", "service b"]);
        var underV2 = PythonReferencePeer.Encrypt(V2.Text, ["api key", "service c", "webhook secret"]);
        Directory.CreateDirectory(Paths.Agents);
        Directory.CreateDirectory(Path.Combine(Paths.Config, "logs"));
        WriteJson(Path.Combine(Paths.Config, "settings.json"), new
        {
            station = "RoboDJ reference",
            stream = new { password = underV1[0], api_key = "enc:" + underV2[0] },
            webhook = new { secret = underV2[2], retries = 3 },
        });
        WriteJson(Path.Combine(Paths.Config, "integrations", "services.json"), new
        {
            services = new object[]
            {
                new { name = "a", token = underV1[1] },
                new { name = "b", token = "enc:" + underV1[2] },
                new { name = "c", token = underV2[1] },
            },
        });
        WriteJson(Paths.EnvContract, new
        {
            required = new[] { "ROBODJ_ENV", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_DASHBOARD_URL" },
            secret = new[] { "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_DASHBOARD_PASSWORD" },
        });
    }

    void WriteLauncher()
    {
        // bash for `exec -a`: the app's process then carries the site's name, and exec keeps the pid the runtime started.
        var sh = "#!/bin/bash\n"
            + "# Starts the RoboDJ reference app for this deployment (made by PythonSite).\n"
            + $"exec -a {ShQuote(ProcessName)} {ShQuote(PythonReferencePeer.Interpreter)} {ShQuote(PythonReferencePeer.AppScript)} "
            + $"--root {ShQuote(Root)} --pid-file {PidFileName}"
            + (silentLateClose is { } seconds ? $" --silent-late-close {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")
            + (dashboardAfter is { } after ? $" --dashboard-after {after.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "") + "\n";
        AtomicFile.WriteAllText(Path.Combine(Root, LauncherName), sh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The app reads the mounted .env itself (no env_file), so python-dotenv alone parses it, as on the desktop.</summary>
    void WriteCompose()
    {
        var yaml = "version: \"2.4\"\n"
            + "services:\n"
            + "  app:\n"
            + $"    image: {DockerPeer.Image}\n"
            + "    init: true\n"
            + "    network_mode: host\n"
            + $"    volumes: [\"/usr:/usr:ro\", \"/lib:/lib:ro\", \"/lib64:/lib64:ro\", \"./:/app\", {JsonSerializer.Serialize(PythonReferencePeer.PeersFolder + ":/peer:ro")}]\n"
            + $"    command: [\"{DockerPeer.ContainerPython}\", \"/peer/robodj_reference_app.py\", \"--root\", \"/app\", \"--pid-file\", \"{PidFileName}\""
            + (silentLateClose is { } seconds ? $", \"--silent-late-close\", \"{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"" : "") + "]\n";
        AtomicFile.WriteAllText(Path.Combine(Root, ComposeFileName), yaml);
    }

    static string ShQuote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`") + "\"";

    static void WriteJson(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }


    public async ValueTask DisposeAsync()
    {
        try { await Runtime().StopAsync(CancellationToken.None); }
        catch (Exception e) when (e is RuntimeException or IOException) { }
        temp.Dispose();
    }
}
