namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>A snapshot file does not match its manifest: restoring it could put damaged keys or config in place.</summary>
public sealed class SnapshotCorruptException(string snapshotDir, string file, string problem)
    : Exception($"{System.IO.Path.Combine(snapshotDir, "manifest.json")}: {file}: {problem}. Nothing was restored. " +
                "Restore by hand with `python config/scripts/startup_safety.py --guided-restore`, or from another backup.");

public sealed class SnapshotScriptFailedException(string script, string detail)
    : Exception($"{script} --snapshot failed: {detail}. Fix the script's problem or move it away to rely on the native snapshot only.");

/// <summary>A restore put back what it could, but some files failed; each is named with its reason.</summary>
public sealed class SnapshotRestoreIncompleteException(RestoreReport report)
    : Exception($"The restore is incomplete: {report.Summary}. Fix each named file's problem (e.g. `chattr -i`, its folder's permissions) " +
                "and run Rollback again; it writes only the files that still differ from the snapshot.")
{
    public RestoreReport Report { get; } = report;
}
