namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// The bounds of every input file (README, deployment contract). Each is far above what a deployment holds and far
/// below what would hang a run or exhaust its memory; a file over its bound is refused before anything changes.
/// </summary>
public static class InputLimits
{
    const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    /// <summary>.env: a few dozen lines in practice.</summary>
    public const long DotEnvBytes = 1 * MiB;
    /// <summary>Each config JSON file: read in chunks, so the bound is time, not memory (about 6 million fields).</summary>
    public const long ConfigJsonBytes = 1 * GiB;
    /// <summary>How deep config JSON may nest: Python's json module, which the app uses, stops near 1,000.</summary>
    public const int ConfigJsonDepth = 512;
    /// <summary>config/env_contract.json: two lists of names.</summary>
    public const long EnvContractBytes = 1 * MiB;
    /// <summary>A rotation's journal.jsonl: a few dozen lines.</summary>
    public const long JournalBytes = 64 * MiB;
    /// <summary>A snapshot's manifest.json: a line per file of the scope.</summary>
    public const long ManifestBytes = 256 * MiB;
    /// <summary>The fleet file: a few lines per host.</summary>
    public const long FleetFileBytes = 1 * MiB;
    /// <summary>config/agents/*.lock: one small JSON object.</summary>
    public const long AgentLockBytes = 64 * KiB;
    /// <summary>The desktop app's pid file: one number.</summary>
    public const long PidFileBytes = 4 * KiB;
}
