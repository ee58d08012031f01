using RoboDJ.KeyRotation.Rotation;

namespace RoboDJ.KeyRotation.Config;

/// <summary>One file a rotation may touch: its absolute path and its path relative to the deployment root ("/"-separated).</summary>
public sealed record ScopeFile(string Path, string Relative)
{
    /// <summary>The path relative to config/, as the census and the rewrap name a config file.</summary>
    public string ConfigRelative => Relative.StartsWith("config/", StringComparison.Ordinal) ? Relative["config/".Length..] : Relative;
}

/// <summary>
/// The one definition of the files a rotation may touch (DESIGN.md §6): .env, config/env_contract.json and every *.json
/// under config/, at any depth, except the pipeline's own folders (key_rotation/, incidents/) and the app's exclusions.
/// Census counts, Rewrap rewraps, Snapshot copies and Restore restores exactly these files, so a file is either all four
/// or none: a field the rewrap changes always has its original in the snapshot.
/// </summary>
public sealed class DeploymentScope
{
    /// <summary>
    /// The pipeline's own state: postmortems, and an earlier version's journals and snapshots (config/key_rotation/, until
    /// KeyRotationLayout moves them beside config/), hold no app fields.
    /// </summary>
    public static readonly IReadOnlyList<string> PipelineFolders = ["key_rotation", "incidents"];

    /// <summary>
    /// Folders under config/ left out unless the deployment says otherwise: agents/ holds lock files with no encrypted
    /// field. logs/ and any snapshot(s)/ backups stay in, because a field there left under an old key is lost with it.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExclusions = ["agents"];

    readonly DeploymentPaths paths;

    public DeploymentScope(DeploymentPaths paths, IReadOnlyList<string>? exclusions = null)
    {
        this.paths = paths;
        Exclusions = (exclusions ?? DefaultExclusions).Select(Normalize).Where(e => e.Length > 0).Distinct().ToArray();
    }

    /// <summary>Folders relative to config/ ("cache" or "cache/tmp") whose files the rotation never touches.</summary>
    public IReadOnlyList<string> Exclusions { get; }
    public DeploymentPaths Paths => paths;

    /// <summary>Every file in the scope that exists now: .env first, then the config JSON in ordinal order.</summary>
    public IReadOnlyList<ScopeFile> Files()
    {
        var files = new List<ScopeFile>();
        if (File.Exists(paths.DotEnv)) files.Add(new ScopeFile(paths.DotEnv, ".env"));
        files.AddRange(ConfigJsonFiles());
        return files;
    }

    /// <summary>The *.json files under config/ in the scope (the env contract among them), in ordinal order.</summary>
    public IReadOnlyList<ScopeFile> ConfigJsonFiles()
    {
        if (!Directory.Exists(paths.Config)) return [];
        return Directory.EnumerateFiles(paths.Config, "*.json", SearchOption.AllDirectories)
            .Select(path => new ScopeFile(path, Path.GetRelativePath(paths.Root, path).Replace('\\', '/')))
            .Where(f => Contains(f.Relative))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Whether a path relative to the deployment root is one the rotation may touch.</summary>
    public bool Contains(string relative)
    {
        relative = relative.Replace('\\', '/');
        if (relative == ".env") return true;
        if (!relative.StartsWith("config/", StringComparison.Ordinal) || !relative.EndsWith(".json", StringComparison.Ordinal)) return false;
        var underConfig = relative["config/".Length..];
        var folder = underConfig.Contains('/') ? underConfig[..underConfig.LastIndexOf('/')] + "/" : "";
        return !PipelineFolders.Concat(Exclusions).Any(excluded => folder.StartsWith(excluded + "/", StringComparison.Ordinal));
    }

    public string Describe() => $".env and config/**/*.json except {string.Join(", ", PipelineFolders.Concat(Exclusions).Select(f => $"config/{f}/"))}";

    static string Normalize(string folder) => folder.Replace('\\', '/').Trim().Trim('/');
}
