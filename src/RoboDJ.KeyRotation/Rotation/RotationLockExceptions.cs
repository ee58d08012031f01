namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Another rotation holds the lock: refused, --break-lock or not.</summary>
public sealed class RotationLockHeldException(string path, RotationLockInfo info, TimeSpan age, bool breakLockAsked = false, string? kernelLock = null)
    : Exception($"{path}: another rotation holds the lock: {RotationLock.Describe(info)}, env {info.Env}, " +
                $"heartbeat {RotationLock.Seconds(age)} old ({info.Heartbeat:u}). " +
                (kernelLock is null
                    ? "Wait for it to finish." + (breakLockAsked ? " --break-lock takes only a stale lock (holder gone from this host, or heartbeat over the limit); this one is live." : "")
                    : $"A live process holds the kernel lock on {kernelLock}, which a paused process keeps too, so no run can take this lock over, --break-lock or not. " +
                      $"Fix: wait for it to finish; if it is stopped (kill -STOP), resume it with `kill -CONT {info.Pid}` or end it with `kill {info.Pid}`, then rerun."))
{
    public RotationLockInfo Info { get; } = info;
}

/// <summary>The lock file exists but is not complete yet: another run is taking the lock this very moment.</summary>
public sealed class RotationLockBeingWrittenException(string path, TimeSpan age)
    : Exception($"{path}: another rotation is taking the lock right now (the file is {RotationLock.Seconds(age)} old and not complete yet). " +
                "Wait for that run to finish; do not use --break-lock on it.");

/// <summary>
/// The lock names a holder that cannot be shown to be running (a stale heartbeat, a pid that does not hold the kernel
/// lock, a heartbeat in the future). Taking it over is the operator's decision: --break-lock.
/// </summary>
public sealed class StaleRotationLockException(string path, RotationLockInfo info, string why)
    : Exception($"{path}: the rotation lock of {RotationLock.Describe(info)} has {why}. " +
                $"Make sure no rotation is running{(info.Host == Environment.MachineName ? "" : $" on {info.Host}")}, then rerun with --break-lock, which takes it.")
{
    public RotationLockInfo Info { get; } = info;
}

public sealed class RotationLockCorruptException(string path, string problem)
    : Exception($"{path}: the rotation lock file is unreadable ({problem}) and older than the stale limit. Make sure no rotation is running, then rerun with --break-lock.");

/// <summary>
/// The fence: this run's lock was taken over while it was paused (--break-lock on a shared tree where the kernel lock
/// does not reach, or after its lock's file was replaced). Going on would write over the run that holds it now.
/// </summary>
public sealed class RotationLockLostException(string path, long token, string what, string holderNow)
    : Exception($"{path}: this run's rotation lock (fencing token {token}) was taken over while it was paused; the lock is now {holderNow}. " +
                $"This run stopped before {what} and changes nothing more; the journal records what it had done (its lines carry lock token {token}). " +
                "Fix: let the other run finish, then check `./build.sh Status`, which names Resume or Rollback if a rotation is left open.")
{
    public long Token { get; } = token;
}
