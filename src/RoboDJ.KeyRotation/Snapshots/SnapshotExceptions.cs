namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>A snapshot file does not match its manifest: restoring it could put damaged keys or config in place.</summary>
public sealed class SnapshotCorruptException(string snapshotDir, string file, string problem)
    : Exception($"{System.IO.Path.Combine(snapshotDir, "manifest.json")}: {file}: {problem}. Nothing was restored. " +
                "Restore by hand with `python config/scripts/startup_safety.py --guided-restore`, or from another backup.");

public sealed class SnapshotScriptFailedException(string script, string detail)
    : Exception($"{script} --snapshot failed: {detail}. Fix the script's problem or move it away to rely on the native snapshot only.");
