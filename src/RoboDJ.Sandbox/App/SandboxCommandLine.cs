namespace RoboDJ.Sandbox.App;

/// <summary>
/// `RoboDJ.Sandbox [--root DIR] [--port N] [--fail-delay-ms N] [--create]`; --create makes a fresh deployment there and exits. The root defaults to ROBODJ_ROOT, then the current
/// folder; the port to the one in ROBODJ_DASHBOARD_URL.
/// </summary>
sealed record SandboxCommandLine(string Root, int? Port, TimeSpan FailDelay, bool Create)
{
    public const string Usage = "usage: RoboDJ.Sandbox [--root <deployment root>] [--port <port>] [--fail-delay-ms <ms>] [--create]";

    /// <summary>How long a failed startup check keeps the process alive, so a pipeline sees it start and then FAIL.</summary>
    public static readonly TimeSpan DefaultFailDelay = TimeSpan.FromMilliseconds(500);

    public static SandboxCommandLine Parse(string[] args)
    {
        string? root = null;
        int? port = null;
        var failDelay = DefaultFailDelay;
        var create = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--root": root = Value(); break;
                case "--port":
                    port = int.TryParse(Value(), out var p) && p is > 0 and < 65536 ? p : throw new UsageException("--port must be a TCP port, 1-65535");
                    break;
                case "--fail-delay-ms":
                    failDelay = int.TryParse(Value(), out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : throw new UsageException("--fail-delay-ms must be 0 or more");
                    break;
                case "--create": create = true; break;
                default: throw new UsageException($"unknown argument '{name}'");
            }
        }
        root ??= Environment.GetEnvironmentVariable(SandboxVariables.Root) is { Length: > 0 } fromEnv ? fromEnv : Directory.GetCurrentDirectory();
        root = Path.GetFullPath(root);
        if (!create && !Directory.Exists(root)) throw new UsageException($"the deployment root {root} does not exist; create one with SandboxDeployment.Create or pass --root");
        return new SandboxCommandLine(root, port, failDelay, create);
    }
}

sealed class UsageException(string message) : Exception(message);
