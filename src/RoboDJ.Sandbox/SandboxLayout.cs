namespace RoboDJ.Sandbox;

/// <summary>Where a deployment keeps what the contract (DESIGN.md §5) names, relative to its root.</summary>
public sealed record SandboxLayout(string Root)
{
    public const string EnvFileName = ".env";
    public const string PidFileName = "robodj.pid";
    public const string LauncherShName = "RoboDJ_Launcher.sh";
    public const string LauncherBatName = "RoboDJ_Launcher.bat";

    public string EnvFile => Path.Combine(Root, EnvFileName);
    public string PidFile => Path.Combine(Root, PidFileName);
    public string Config => Path.Combine(Root, "config");
    public string EnvContract => Path.Combine(Config, "env_contract.json");
    public string Broadcasts => Path.Combine(Config, "broadcasts.json");
    public string Agents => Path.Combine(Config, "agents");
    public string Logs => Path.Combine(Config, "logs");
    public string StartupLog => Path.Combine(Logs, "startup_safety_events.jsonl");
    public string LauncherSh => Path.Combine(Root, LauncherShName);
    public string LauncherBat => Path.Combine(Root, LauncherBatName);
}
