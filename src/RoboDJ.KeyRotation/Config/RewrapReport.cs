namespace RoboDJ.KeyRotation.Config;

/// <summary>What a rewrap did (or, in a dry run, would do).</summary>
public sealed record RewrapReport(int Rewrapped, int AlreadyCurrent, IReadOnlyList<CensusFinding> Undecryptable, IReadOnlyList<string> FilesWritten, bool DryRun)
{
    public string Summary =>
        $"{(DryRun ? "would rewrap" : "rewrapped")} {Rewrapped} fields in {FilesWritten.Count} files, {AlreadyCurrent} already current, {Undecryptable.Count} undecryptable (left as they are)";
}
