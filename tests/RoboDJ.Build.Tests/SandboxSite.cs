using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A sandbox deployment in a temp folder with the stand-in app running on a free port: the peer of the workflow and
/// end-to-end tests. Disposing stops the app (by the pid it wrote) and removes the folder.
/// </summary>
public sealed class SandboxSite : IAsyncDisposable
{
    readonly TempDir temp;

    SandboxSite(SandboxDeployment deployment, TempDir temp)
    {
        this.temp = temp;
        Deployment = deployment;
        Canaries = [deployment.V1.Text, deployment.V2!.Text, deployment.DashboardPassword];
    }

    public SandboxDeployment Deployment { get; }
    public string Root => Deployment.Root;
    public DeploymentPaths Paths => new(Root);
    /// <summary>Every secret value the site started with; tests add the ones a rotation generates.</summary>
    public List<string> Canaries { get; }

    public static async Task<SandboxSite> CreateAsync(bool start = true, SandboxDeploymentOptions? options = null)
    {
        var temp = new TempDir("robodj-site");
        var deployment = SandboxDeployment.Create(Path.Combine(temp.Path, "deployment"), (options ?? new SandboxDeploymentOptions()) with { Port = LoopbackPorts.Free() });
        var site = new SandboxSite(deployment, temp);
        if (start) await site.StartAsync();
        return site;
    }

    public DeploymentSettings Settings(string env = "sandbox") => new()
    {
        Env = env,
        Paths = Paths,
        Runtime = RuntimeKind.Desktop,
        Store = StoreKind.DotEnv,
        Launcher = OperatingSystem.IsWindows() ? SandboxLayout.LauncherBatName : SandboxLayout.LauncherShName,
        PidFile = SandboxLayout.PidFileName,
        StopTimeout = TimeSpan.FromSeconds(10),
        StartTimeout = TimeSpan.FromSeconds(60),
        VerifyTimeout = TimeSpan.FromSeconds(60),
    };

    public IRuntime Runtime() => RuntimeSelection.Create(Settings());

    public async Task StartAsync()
    {
        var offset = new StartupLog(Paths.StartupLog).CurrentOffset();
        await Runtime().StartAsync(DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
        await new StartupLog(Paths.StartupLog).WaitForPassAsync(offset, TimeSpan.FromSeconds(60), null, CancellationToken.None);
    }

    public async Task<bool> IsRunningAsync() => (await Runtime().StatusAsync(CancellationToken.None)).AnyRunning;

    public async Task<KeySlots> KeysAsync() => await new DotEnvSecretStore(Paths.DotEnv).ReadAsync(CancellationToken.None);

    /// <summary>The census under exactly the keys in .env now.</summary>
    public async Task<CensusReport> CensusAsync()
    {
        var keys = await KeysAsync();
        var ring = keys.Secondary is null ? new KeyRing(keys.Primary!) : new KeyRing(keys.Primary!, keys.Secondary);
        return Census.Take(new DeploymentScope(Paths), ring);
    }

    /// <summary>SHA-256 of every file under the root, by relative path; the app's pid file and log are the app's own.</summary>
    public Dictionary<string, string> Hashes(params string[] except) =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(rel => !except.Contains(rel))
            .Order(StringComparer.Ordinal)
            .ToDictionary(rel => rel, rel => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, rel)))));

    /// <summary>Config and .env bytes only: what a rollback must give back exactly.</summary>
    public Dictionary<string, string> KeyAndConfigHashes() =>
        Hashes().Where(kv => kv.Key == ".env" || (kv.Key.StartsWith("config/") && !kv.Key.StartsWith("config/key_rotation/")
            && !kv.Key.StartsWith("config/incidents/") && !kv.Key.StartsWith("config/logs/"))).ToDictionary();


    /// <summary>No form of a canary in any file of the deployment but .env and the snapshots, which must hold the keys.</summary>
    public void AssertCanariesOnlyInKeyFiles(IEnumerable<string> canaries)
    {
        var allowed = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f))
            .Where(rel => rel == ".env" || rel.Contains($"{Path.DirectorySeparatorChar}snapshot{Path.DirectorySeparatorChar}")).ToArray();
        Canary.AssertAbsentFromTree(Root, canaries, allowed);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Runtime().StopAsync(CancellationToken.None); }
        catch (Exception e) when (e is RuntimeException or IOException) { }
        temp.Dispose();
    }
}
