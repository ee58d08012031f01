using CliWrap;
using CliWrap.Buffered;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Detects the compose CLI once and runs it with -p and -f always explicit.</summary>
public sealed class ComposeCli(string projectName, string composeFile, string workingDirectory, IReadOnlyDictionary<string, string> environment)
{
    readonly SemaphoreSlim gate = new(1, 1);
    ComposeFlavor? flavor;

    /// <summary>The v2 plugin when `docker compose version` works, else v1 `docker-compose`; detected on first use and logged.</summary>
    public async Task<ComposeFlavor> DetectAsync(CancellationToken cancellationToken)
    {
        if (flavor is not null) return flavor;
        await gate.WaitAsync(cancellationToken);
        try
        {
            flavor ??= await ProbeAsync(cancellationToken);
            Log.Information("Compose CLI: {Compose}", flavor.ToString());
            return flavor;
        }
        finally { gate.Release(); }
    }

    async Task<ComposeFlavor> ProbeAsync(CancellationToken cancellationToken)
    {
        if (ExecutableLocator.Find("docker", environment) is { } docker
            && await VersionAsync(docker, ["compose", "version", "--short"], cancellationToken) is { } v2)
            return new ComposeFlavor(docker, ["compose"], v2);
        if (ExecutableLocator.Find("docker-compose", environment) is { } v1exe
            && await VersionAsync(v1exe, ["version", "--short"], cancellationToken) is { } v1)
            return new ComposeFlavor(v1exe, [], v1);
        throw new ComposeCliMissingException("`docker compose version` and `docker-compose version`");
    }

    async Task<string?> VersionAsync(string exe, string[] args, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap(exe).WithArguments(args)
            .WithEnvironmentVariables(ChildEnvironment.AsOverrides(ChildProcess.Compose, environment))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    /// <summary>The command line as text, e.g. for dry runs: "docker-compose -p robodj -f docker-compose.yaml up -d".</summary>
    public string Describe(ComposeFlavor? detected, params string[] args) =>
        string.Join(' ', [(detected ?? flavor)?.CommandText ?? "docker compose", "-p", projectName, "-f", composeFile, .. args]);

    /// <summary>Runs compose with its allow-listed environment (no ROBODJ_*, no secret of ours); a non-zero exit or timeout throws.</summary>
    public async Task RunAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] args)
    {
        var cli = await DetectAsync(cancellationToken);
        var text = Describe(cli, args);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(cli.Executable)
                .WithArguments([.. cli.PrefixArguments, "-p", projectName, "-f", composeFile, .. args])
                .WithWorkingDirectory(workingDirectory)
                .WithEnvironmentVariables(ChildEnvironment.AsOverrides(ChildProcess.Compose, environment))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ComposeCommandFailedException(text, -1, $"timed out after {timeout.TotalSeconds:0.#} s");
        }
        Log.Debug("{Command} exited {Code} in {Ms} ms: {Output}", text, result.ExitCode, (int)result.RunTime.TotalMilliseconds,
            SecretRedactor.Redact((result.StandardOutput + result.StandardError).Trim()));
        if (result.ExitCode != 0) throw new ComposeCommandFailedException(text, result.ExitCode, result.StandardError);
    }
}
