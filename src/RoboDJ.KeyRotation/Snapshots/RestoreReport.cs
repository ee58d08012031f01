namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>One file a restore could not put back, and why.</summary>
public sealed record RestoreFailure(string Path, string Reason);

/// <summary>
/// What a restore did, file by file (paths relative to the deployment root): written back, found identical and left
/// alone, or failed. A failure does not stop the others.
/// </summary>
public sealed record RestoreReport(IReadOnlyList<string> Restored, IReadOnlyList<string> AlreadyIdentical, IReadOnlyList<RestoreFailure> Failed)
{
    public bool Succeeded => Failed.Count == 0;

    public string Summary =>
        $"{Restored.Count} file(s) restored, {AlreadyIdentical.Count} already identical, {Failed.Count} failed" +
        (Failed.Count == 0 ? "" : ": " + string.Join("; ", Failed.Select(f => $"{f.Path} ({f.Reason})")));
}
