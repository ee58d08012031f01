namespace RoboDJ.Sandbox;

/// <summary>
/// What <see cref="SandboxDeployment.Create"/> puts in a fresh deployment, e.g.
/// <c>new SandboxDeploymentOptions { Port = 8765, FieldsUnderV1 = 6, FieldsUnderV2 = 3 }</c>.
/// </summary>
public sealed record SandboxDeploymentOptions
{
    /// <summary>The dashboard port written into ROBODJ_DASHBOARD_URL (http://127.0.0.1:PORT).</summary>
    public int Port { get; init; } = 8765;

    /// <summary>ROBODJ_ENV, which the pipeline's Preflight compares with --env.</summary>
    public string Environment { get; init; } = "sandbox";

    /// <summary>Encrypted config fields under V1 (the primary key).</summary>
    public int FieldsUnderV1 { get; init; } = 6;

    /// <summary>Encrypted config fields only V2 opens: a rotation must rewrap them before V2 is dropped.</summary>
    public int FieldsUnderV2 { get; init; } = 3;

    /// <summary>Fields under a key the deployment does not have: the startup check FAILs on them. For failure tests.</summary>
    public int UndecryptableFields { get; init; }

    /// <summary>Writes every other encrypted field with the `enc:` prefix.</summary>
    public bool PrefixSomeFieldsWithEnc { get; init; } = true;

    /// <summary>Writes V2 into .env; without it the deployment has V1 only (and no field under V2 can be made).</summary>
    public bool IncludeV2 { get; init; } = true;

    /// <summary>Broadcasts in config/broadcasts.json, relative to the creation time.</summary>
    public IReadOnlyList<SandboxBroadcast> Broadcasts { get; init; } = [new("Evening drive", TimeSpan.FromHours(3))];

    /// <summary>The app the launchers start; defaults to this assembly (RoboDJ.Sandbox.dll).</summary>
    public string? AppDllPath { get; init; }

    /// <summary>The dotnet host the launchers call.</summary>
    public string DotnetHost { get; init; } = "dotnet";

    /// <summary>
    /// The app as a program of its own (published as `RoboDJ Automation.exe`), which the launchers run instead of
    /// <see cref="DotnetHost"/> with <see cref="AppDllPath"/>; null: through dotnet.
    /// </summary>
    public string? AppExecutable { get; init; }
}

/// <summary>A scheduled broadcast, <see cref="StartsIn"/> after the deployment is created (negative: already started).</summary>
public sealed record SandboxBroadcast(string Title, TimeSpan StartsIn);
