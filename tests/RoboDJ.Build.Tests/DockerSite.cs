using System.Diagnostics;
using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A staging deployment on the test engine: a compose project whose busybox service checks its key's shape, writes the
/// PASS line (with its key's fingerprint) to the bind-mounted startup log, and turns healthy. Config fields under V1
/// and V2, one of them in config/logs/.
/// </summary>
sealed class DockerSite : IDisposable
{
    public const string Image = "robodj-busybox:test";
    readonly TempDir dir = new("robodj-docker-site");
    readonly string project = "robodje2e" + Guid.NewGuid().ToString("N")[..8];

    const string AppScript = """
        #!/bin/sh
        k="$ROBODJ_SECRET_KEY"
        mkdir -p /config/logs
        if [ ${#k} -eq 44 ]; then r=PASS; else r=FAIL; fi
        fp=$(printf %s "$k" | sha256sum | cut -c1-12)
        printf '{"message": "Key presence/integrity check: %s", "v1": "sha256:%s"}\n' "$r" "$fp" >> /config/logs/startup_safety_events.jsonl
        mkdir -p /tmp && touch /tmp/ready
        exec sleep 3600
        """;

    const string Compose = """
        version: "2.4"
        services:
          app:
            image: robodj-busybox:test
            init: true
            network_mode: none
            env_file: .env
            volumes: ["./config:/config", "./app.sh:/app.sh:ro"]
            command: ["sh", "/app.sh"]
            healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, timeout: 5s, retries: 30 }
        """;

    public string Root => dir.Path;
    public FernetKey V1 { get; } = FernetKey.Generate();
    public FernetKey V2 { get; } = FernetKey.Generate();
    string ComposePath => Path.Combine(Root, "docker-compose.yaml");

    /// <summary>Skips (laptop) or fails (CI) without an engine and the image; else writes the deployment and starts it.</summary>
    public static DockerSite Create()
    {
        Peers.DockerHost();
        if (Run("docker", "image", "inspect", Image) != 0) Peers.Missing($"no {Image} image on the engine (.ci/run imports it from busybox-static)");
        var site = new DockerSite();
        site.Write();
        Assert.Equal(0, Run("docker-compose", "-p", site.project, "-f", site.ComposePath, "up", "-d"));
        return site;
    }

    void Write()
    {
        File.WriteAllText(Path.Combine(Root, ".env"), $"ROBODJ_ENV=staging\nROBODJ_SECRET_KEY={V1.Text}\nROBODJ_SECRET_V2_KEY={V2.Text}\n");
        File.WriteAllText(Path.Combine(Root, "app.sh"), AppScript.ReplaceLineEndings("\n") + "\n");
        File.WriteAllText(ComposePath, Compose.ReplaceLineEndings("\n") + "\n");
        Directory.CreateDirectory(Path.Combine(Root, "config", "logs"));
        File.WriteAllText(Path.Combine(Root, "config", "settings.json"),
            $"{{\n  \"a\": \"{FernetToken.Encrypt(V1, Encoding.UTF8.GetBytes("one"))}\",\n  \"b\": \"enc:{FernetToken.Encrypt(V2, Encoding.UTF8.GetBytes("two"))}\"\n}}\n");
        File.WriteAllText(Path.Combine(Root, "config", "logs", "app_state.json"),
            $"{{\"cached\": {{\"stream_key\": \"{FernetToken.Encrypt(V1, Encoding.UTF8.GetBytes("rtmp"))}\"}}}}\n");
        File.WriteAllText(Path.Combine(Root, "config", "env_contract.json"), "{\"required\": [\"ROBODJ_ENV\", \"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"], \"secret\": [\"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"]}");
    }

    public string[] Args(string target) => [target, "--env", "staging", "--deployment-root", Root, "--runtime", "docker",
        "--compose-project", project, "--compose-file", "docker-compose.yaml", "--stop-timeout", "2",
        // The busybox service serves no dashboard; the staging profile names one.
        "--dashboard-url", "none"];

    /// <summary>Containers of the project that run now, found by its label as the build finds them.</summary>
    public int RunningContainers() =>
        Swarm.DockerCli.Run("ps", "-q", "--filter", $"label=com.docker.compose.project={project}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_")).ToList()) info.Environment.Remove(name);
        using var p = Process.Start(info)!;
        var output = Task.WhenAll(p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException($"{file} {string.Join(' ', args.Take(2))} took over 120 s"); }
        output.Wait();
        return p.ExitCode;
    }

    public void Dispose()
    {
        if (File.Exists(ComposePath)) Run("docker-compose", "-p", project, "-f", ComposePath, "down", "-t", "1");
        dir.Dispose();
    }
}
