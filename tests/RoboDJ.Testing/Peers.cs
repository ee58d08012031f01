using System.Diagnostics;
using Xunit;

namespace RoboDJ.Testing;

/// <summary>
/// Finds the real peers the tests talk to. A missing peer skips the test with its reason on a laptop,
/// and fails it under CI=true, where .ci/run is supposed to have installed it.
/// </summary>
public static class Peers
{
    static readonly Lazy<string?> python = new(FindPython);
    static readonly Lazy<string?> pwsh = new(() => FindOnPath("pwsh", Path.Combine(Home, ".dotnet", "tools")));

    static string Home => Environment.GetEnvironmentVariable("HOME") ?? "/root";
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (laptop) or fails (CI=true) the current test, saying what is missing.</summary>
    public static void Missing(string reason)
    {
        if (UnderCi) Assert.Fail($"peer missing under CI=true: {reason}");
        Assert.Skip(reason);
    }

    /// <summary>A python3 that imports both cryptography and dotenv.</summary>
    public static string Python()
    {
        if (python.Value is null) Missing("no python3 on PATH or at /usr/bin/python3 imports both cryptography and dotenv (apt-get install python3-cryptography python3-dotenv)");
        return python.Value!;
    }

    public static string Pwsh()
    {
        if (pwsh.Value is null) Missing("no pwsh on PATH or in ~/.dotnet/tools (dotnet tool install --global PowerShell --version 7.6.9)");
        return pwsh.Value!;
    }

    /// <summary>A compose CLI, v1 or the v2 plugin (what DockerComposeRuntime detects).</summary>
    public static void ComposeCli()
    {
        if (FindOnPath("docker-compose") is null && Run("docker", "compose version --short") is null)
            Missing("neither `docker compose` nor `docker-compose` (apt-get install docker-compose)");
    }

    /// <summary>The Docker engine address (DOCKER_HOST or the default socket) when it answers `docker version`.</summary>
    public static string DockerHost()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
        if (FindOnPath("docker") is null) Missing("no docker CLI on PATH (apt-get install docker.io)");
        if (Run("docker", "version --format {{.Server.Version}}") is null) Missing($"no Docker engine at {host}");
        return host;
    }

    static string? FindPython()
    {
        var candidates = new[] { FindOnPath("python3"), "/usr/bin/python3" }.OfType<string>().Distinct();
        return candidates.FirstOrDefault(p => File.Exists(p) && Run(p, "-c \"import cryptography, dotenv\"") is not null);
    }

    public static string? FindOnPath(string name, params string[] extraDirs)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(extraDirs);
        return dirs.Where(d => d.Length > 0).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a short probe command; its stdout, or null when it fails or takes over 10 s.</summary>
    static string? Run(string file, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return null; }
            return p.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
