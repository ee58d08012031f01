namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Where the deployment root came from (the engine's words: "--deployment-root", "environment variable X" or
/// ".nuke/parameters.staging.json, $.DeploymentRoot"), so that an error about the folder or its .env names the setting
/// to change rather than guessing at the parameters file.
/// </summary>
public sealed record DeploymentRootOrigin(string Source)
{
    const string Variable = "environment variable ";

    public override string ToString() => Source;

    /// <summary>The change that points the root elsewhere, worded for where it came from.</summary>
    public string Fix =>
        Source.StartsWith("--", StringComparison.Ordinal) ? $"give {Source} the folder that holds .env and config/"
        : Source.StartsWith(Variable, StringComparison.Ordinal) ? $"set {Source[Variable.Length..]} to the folder that holds .env and config/, or unset it"
        : $"set \"DeploymentRoot\" in {Source.Split(',')[0]} to the folder that holds .env and config/ (relative to the repository root), or give --deployment-root";

    /// <summary>The root folder is not there: nothing of the deployment can be read.</summary>
    public string FolderMissing(string root) =>
        $"the deployment folder {root} does not exist (the deployment root comes from {Source}). Fix: {Fix}.";

    /// <summary>The folder is there without its .env, which holds the keys and ROBODJ_ENV.</summary>
    public string DotEnvMissing(string dotEnv) =>
        $"{dotEnv}: the deployment's .env file is missing, so its keys and ROBODJ_ENV cannot be read (the deployment root comes from {Source}). " +
        $"Fix: restore .env from the last snapshot ({Snapshots.SnapshotStore.DotEnvCopy}), or, if this is not the deployment, {Fix}.";
}
