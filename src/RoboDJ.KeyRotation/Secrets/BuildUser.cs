using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Who the build runs as, for the owner rule of <see cref="AtomicWriteAccess"/>; tests pass another.</summary>
internal readonly record struct BuildUser(uint Uid, bool CanChangeOwners)
{
    public static BuildUser Current => new(UnixOwner.CurrentUid, UnixOwner.CanChangeOwners);
}
