using System.Diagnostics;
using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// `Rotate --env staging` against a real compose project on the test engine: a busybox service that checks its key's
/// shape, writes the PASS line (with its key's fingerprint) to the bind-mounted startup log, and turns healthy.
/// </summary>
public sealed class DockerRotationAgainstRealEngineTests : IDisposable
{
    const string Image = "robodj-busybox:test";
    readonly TempDir dir = new("robodj-docker-site");
    readonly string project = "robodje2e" + Guid.NewGuid().ToString("N")[..8];
    string Root => dir.Path;

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

    [Fact]
    public async Task A_staging_rotation_on_docker_restarts_the_service_on_the_new_key_and_rewraps_config()
    {
        Peers.DockerHost();
        if (Run("docker", "image", "inspect", Image) != 0) Peers.Missing($"no {Image} image on the engine (.ci/run imports it from busybox-static)");
        var v1 = FernetKey.Generate();
        var v2 = FernetKey.Generate();
        File.WriteAllText(Path.Combine(Root, ".env"), $"ROBODJ_ENV=staging\nROBODJ_SECRET_KEY={v1.Text}\nROBODJ_SECRET_V2_KEY={v2.Text}\n");
        File.WriteAllText(Path.Combine(Root, "app.sh"), AppScript.ReplaceLineEndings("\n") + "\n");
        File.WriteAllText(Path.Combine(Root, "docker-compose.yaml"), Compose.ReplaceLineEndings("\n") + "\n");
        Directory.CreateDirectory(Path.Combine(Root, "config", "logs"));
        File.WriteAllText(Path.Combine(Root, "config", "settings.json"),
            $"{{\n  \"a\": \"{FernetToken.Encrypt(v1, Encoding.UTF8.GetBytes("one"))}\",\n  \"b\": \"enc:{FernetToken.Encrypt(v2, Encoding.UTF8.GetBytes("two"))}\"\n}}\n");
        File.WriteAllText(Path.Combine(Root, "config", "env_contract.json"), "{\"required\": [\"ROBODJ_ENV\", \"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"], \"secret\": [\"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"]}");
        Assert.Equal(0, Run("docker-compose", "-p", project, "-f", Path.Combine(Root, "docker-compose.yaml"), "up", "-d"));
        using var build = new BuildProcess();

        var result = await build.RunAsync(["Rotate", "--env", "staging", "--deployment-root", Root, "--runtime", "docker",
            "--compose-project", project, "--compose-file", "docker-compose.yaml", "--stop-timeout", "2"], timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = await new DotEnvSecretStore(Path.Combine(Root, ".env")).ReadAsync(CancellationToken.None);
        Assert.Equal(v1, keys.Secondary);
        var census = Census.Take(new DeploymentScope(new DeploymentPaths(Root)), new KeyRing(keys.Primary!));
        Assert.Equal(2, census.UnderPrimary);
        var lastLine = File.ReadAllLines(Path.Combine(Root, "config", "logs", "startup_safety_events.jsonl")).Last();
        Assert.Contains("PASS", lastLine);
        Assert.Contains(keys.Primary!.Fingerprint.ToString(), lastLine);
        Canary.AssertAbsent(result.Output, [v1.Text, v2.Text, keys.Primary.Text], "the build's output");
    }

    static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_")).ToList()) info.Environment.Remove(name);
        using var p = Process.Start(info)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Root, "docker-compose.yaml")))
            Run("docker-compose", "-p", project, "-f", Path.Combine(Root, "docker-compose.yaml"), "down", "-t", "1");
        dir.Dispose();
    }
}
