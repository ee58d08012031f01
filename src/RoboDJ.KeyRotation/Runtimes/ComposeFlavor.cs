namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Which compose CLI runs the project: the v2 plugin (`docker compose`) or v1 (`docker-compose`).</summary>
public sealed record ComposeFlavor(string Executable, IReadOnlyList<string> PrefixArguments, string Version)
{
    public bool IsPlugin => PrefixArguments.Count > 0;
    public string CommandText => string.Join(' ', [Executable, .. PrefixArguments]);
    public override string ToString() => $"{CommandText} ({(IsPlugin ? "v2 plugin" : "v1")}, {Version})";
}
