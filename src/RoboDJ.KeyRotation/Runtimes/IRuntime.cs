namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>The thing that runs RoboDJ: a docker compose project, or the desktop app and its launcher.</summary>
public interface IRuntime
{
    /// <summary>e.g. "docker compose project robodj (docker-compose.yaml)" or "desktop app 'RoboDJ Automation'".</summary>
    string Description { get; }

    /// <summary>Preflight: the engine or process control is reachable and the configuration points at real files.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);

    Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>Stops everything and confirms that nothing of the deployment still runs.</summary>
    Task<RuntimeReport> StopAsync(CancellationToken cancellationToken);

    /// <summary>Starts, stripping ROBODJ_* from the child environment, and waits until up (started after <paramref name="notBefore"/>).</summary>
    Task<RuntimeReport> StartAsync(DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>For --dry-run: "would stop 3 containers of project robodj: ...". Reads state, changes nothing.</summary>
    Task<string> DescribeStopAsync(CancellationToken cancellationToken);

    /// <summary>For --dry-run: what start would run.</summary>
    string DescribeStart();
}

/// <summary>One unit of the runtime: a container (service, id, image) or a process (name, pid).</summary>
public sealed record RuntimeUnit(string Name, string Id, string Detail, bool Running);

public sealed record RuntimeStatus(IReadOnlyList<RuntimeUnit> Units)
{
    public bool AnyRunning => Units.Any(u => u.Running);
}

public sealed record RuntimeReport(string Summary, IReadOnlyList<RuntimeUnit> Units);
