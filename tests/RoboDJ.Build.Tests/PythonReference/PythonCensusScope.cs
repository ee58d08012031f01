namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>Which config folders the python census looks in.</summary>
public enum PythonCensusScope
{
    /// <summary>What the reference app reads: config/ without logs, agents, snapshots, backups and the rotation's own folders.</summary>
    App,
    /// <summary>What the rotation's default scope takes: all of config/ but key_rotation/ and incidents/ (a field in logs/ counts).</summary>
    Rotation,
}
