using System.Diagnostics;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>Runs the docker / docker-compose CLI from tests, independently of the runtime under test.</summary>
static class DockerCli
{
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? workingDirectory = null, string? stdinFromFile = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdinFromFile is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        using var p = Process.Start(psi)!;
        if (stdinFromFile is not null)
        {
            using (var input = File.OpenRead(stdinFromFile)) input.CopyTo(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); return (-1, "timed out"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Ids of running containers of a compose project, found by label like the runtime does.</summary>
    public static string[] RunningIds(string project) =>
        Run("docker", ["ps", "-q", "--filter", $"label=com.docker.compose.project={project}"]).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
