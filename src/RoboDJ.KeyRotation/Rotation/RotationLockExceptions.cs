namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Another rotation holds the lock and its heartbeat is fresh.</summary>
public sealed class RotationLockHeldException(string path, RotationLockInfo info)
    : Exception($"{path}: another rotation holds the lock ({info.Holder} on {info.Host}, pid {info.Pid}, env {info.Env}, " +
                $"heartbeat {info.Heartbeat:u}). Wait for it to finish; if it is gone, rerun after its heartbeat goes stale and add --break-lock.")
{
    public RotationLockInfo Info { get; } = info;
}

/// <summary>The lock's heartbeat stopped: its holder probably died. Breaking it is the operator's decision.</summary>
public sealed class StaleRotationLockException(string path, RotationLockInfo info, TimeSpan age)
    : Exception($"{path}: the rotation lock of {info.Holder} on {info.Host} (pid {info.Pid}) has a stale heartbeat " +
                $"({(int)age.TotalSeconds} s old). Make sure no rotation is running, then rerun with --break-lock.")
{
    public RotationLockInfo Info { get; } = info;
}

public sealed class RotationLockCorruptException(string path, string problem)
    : Exception($"{path}: the rotation lock file is unreadable ({problem}). Make sure no rotation is running, then rerun with --break-lock.");
