using System.Diagnostics;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>The docker CLI for the test's own setup and teardown (the rotation under test uses the API).</summary>
static class DockerCli
{
    public static string Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs docker with <paramref name="stdin"/> (a secret's value goes in here, never in argv); throws with stderr on failure.</summary>
    public static string RunWithInput(string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(stdin, args);
        if (code != 0) throw new InvalidOperationException($"docker {args[0]} {(args.Length > 1 ? args[1] : "")} exited {code}: {stderr.Trim()}");
        return stdout;
    }

    public static (int Code, string Stdout, string Stderr) TryRun(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000)) { process.Kill(true); throw new TimeoutException($"docker {string.Join(' ', args.Take(2))} took over 120 s"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
