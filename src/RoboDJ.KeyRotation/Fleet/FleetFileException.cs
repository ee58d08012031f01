namespace RoboDJ.KeyRotation.Fleet;

/// <summary>The fleet file cannot be used as it is: names the file, the line and the fix; nothing was changed.</summary>
public sealed class FleetFileException(string file, int line, string problem, string fix)
    : Exception($"{file}:{line}: {problem}. Fix: {fix}. Nothing was changed.")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}

/// <summary>--fleet-host names no host of the fleet file.</summary>
public sealed class UnknownFleetHostException(string file, string host, IEnumerable<string> known)
    : Exception($"{file}: no host '{host}' (hosts: {string.Join(", ", known)}). Fix: pass --fleet-host with one of them. Nothing was changed.");
