namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Another rotation holds the lock and its heartbeat is fresh: refused, --break-lock or not.</summary>
public sealed class RotationLockHeldException(string path, RotationLockInfo info, TimeSpan age, bool breakLockAsked = false)
    : Exception($"{path}: another rotation holds the lock: {RotationLock.Describe(info)}, env {info.Env}, " +
                $"heartbeat {RotationLock.Seconds(age)} old ({info.Heartbeat:u}). Wait for it to finish." +
                (breakLockAsked ? " --break-lock takes only a stale lock (holder gone from this host, or heartbeat over the limit); this one is live." : ""))
{
    public RotationLockInfo Info { get; } = info;
}

/// <summary>The lock file exists but is not complete yet: another run is taking the lock this very moment.</summary>
public sealed class RotationLockBeingWrittenException(string path, TimeSpan age)
    : Exception($"{path}: another rotation is taking the lock right now (the file is {RotationLock.Seconds(age)} old and not complete yet). " +
                "Wait for that run to finish; do not use --break-lock on it.");

/// <summary>The lock's heartbeat stopped: its holder probably died. Breaking it is the operator's decision.</summary>
public sealed class StaleRotationLockException(string path, RotationLockInfo info, TimeSpan age)
    : Exception($"{path}: the rotation lock of {RotationLock.Describe(info)} has a stale heartbeat " +
                $"({RotationLock.Seconds(age)} old). Make sure no rotation is running, then rerun with --break-lock.")
{
    public RotationLockInfo Info { get; } = info;
}

public sealed class RotationLockCorruptException(string path, string problem)
    : Exception($"{path}: the rotation lock file is unreadable ({problem}) and older than the stale limit. Make sure no rotation is running, then rerun with --break-lock.");

/// <summary>This run's lock was taken over while it was paused; going on would rotate alongside the new holder.</summary>
public sealed class RotationLockLostException(string path)
    : Exception($"{path}: another run took over the rotation lock while this one was paused, so this run stops before its next step. " +
                "Fix: let the other run finish, then check `./build.sh Status`; it names Resume or Rollback if a rotation is left open.");
