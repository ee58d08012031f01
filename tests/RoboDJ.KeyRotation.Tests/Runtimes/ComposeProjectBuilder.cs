using System.Text;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>
/// A real compose project in a temp folder, on the busybox test image. There is no bridge network on the test engine,
/// so every service uses network_mode: none. Dispose runs `down` so no test leaves containers behind.
/// </summary>
sealed class ComposeProjectBuilder : IDisposable
{
    readonly TempDir dir = new("robodj-compose");
    readonly List<string> services = [];

    public string ProjectName { get; } = "robodjt" + Guid.NewGuid().ToString("N")[..10];
    public string Root => dir.Path;
    public string ComposeFile => dir.Combine("docker-compose.yaml");
    public string KeyShaFile => dir.Combine("out", "key.sha");

    /// <summary>Reads .env through env_file, writes sha256 of its key to ./out/key.sha, healthy once that is done.</summary>
    public ComposeProjectBuilder WithKeyWriter(string name = "web") => Add(name, """
            env_file: .env
            volumes: ["./out:/out"]
            command: ["sh", "-c", "echo -n \"$$ROBODJ_SECRET_KEY\" | sha256sum > /out/key.sha; mkdir -p /tmp; touch /tmp/ready; exec sleep 3600"]
            healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, timeout: 5s, retries: 30 }
        """);

    /// <summary>Gets its key through compose interpolation, where a parent shell's value would beat .env.</summary>
    public ComposeProjectBuilder WithInterpolatedKey(string name = "worker") => Add(name, """
            environment: { ROBODJ_SECRET_KEY: "${ROBODJ_SECRET_KEY}" }
            command: ["sleep", "3600"]
        """);

    /// <summary>Prints its key (a leak the runtime must redact) and a marker, then fails its healthcheck.</summary>
    public ComposeProjectBuilder WithUnhealthy(string name = "broken") => Add(name, """
            env_file: .env
            command: ["sh", "-c", "echo \"config error: cannot decrypt with $$ROBODJ_SECRET_KEY\"; echo BROKEN-MARKER; exec sleep 3600"]
            healthcheck: { test: ["CMD", "false"], interval: 1s, timeout: 2s, retries: 1 }
        """);

    /// <summary>Never becomes healthy within a short test timeout (first check after 60 s).</summary>
    public ComposeProjectBuilder WithSlowHealth(string name = "slow") => Add(name, """
            command: ["sh", "-c", "echo SLOW-MARKER; exec sleep 3600"]
            healthcheck: { test: ["CMD", "true"], interval: 60s }
        """);

    public ComposeProjectBuilder WithPlain(string name) => Add(name, """
            command: ["sleep", "3600"]
        """);

    public ComposeProjectBuilder WithKey(string keyText)
    {
        File.WriteAllText(dir.Combine(".env"), $"# test deployment\nROBODJ_SECRET_KEY={keyText}\n");
        return this;
    }

    public ComposeProjectBuilder Write()
    {
        Directory.CreateDirectory(dir.Combine("out"));
        if (!File.Exists(dir.Combine(".env"))) WithKey("unset");
        var yaml = new StringBuilder("version: \"2.4\"\nservices:\n");
        foreach (var s in services) yaml.Append(s);
        File.WriteAllText(ComposeFile, yaml.ToString());
        return this;
    }

    public DockerComposeOptions Options(IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        DeploymentRoot = Root,
        ProjectName = ProjectName,
        ComposeFile = "docker-compose.yaml",
        StopTimeout = TimeSpan.FromSeconds(2),
        HealthTimeout = TimeSpan.FromSeconds(90),
        Environment = environment,
    };

    ComposeProjectBuilder Add(string name, string body)
    {
        services.Add($"  {name}:\n    image: {BusyboxImage.Name}\n    init: true\n    network_mode: none\n{Indent(body)}\n");
        return this;
    }

    static string Indent(string body) => string.Join('\n', body.Split('\n').Select(l => "    " + l.TrimStart()));

    public void Dispose()
    {
        if (File.Exists(ComposeFile))
            DockerCli.Run("docker-compose", ["-p", ProjectName, "-f", ComposeFile, "down", "-t", "1"], Root);
        dir.Dispose();
    }
}
