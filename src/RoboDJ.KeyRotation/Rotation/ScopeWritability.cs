using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Preflight's proof that every file Rotate or Restore will write can be replaced, before anything changes: .env (for a
/// dotenv store), the env contract, and each config JSON of the scope that holds an encrypted field. A file refuses
/// when it is immutable or append-only (chattr), not writable by this user, owned by another user while we cannot keep
/// owners (not root), or its folder does not let us create and rename the temp file. Symlinks are judged by their
/// final target, which is what the atomic write replaces. Asks the kernel only; writes nothing.
/// </summary>
public static class ScopeWritability
{
    /// <summary>One message per file that cannot be written, naming the file and the fix; empty when all can.</summary>
    public static IReadOnlyList<string> Problems(DeploymentScope scope, bool dotEnvStore)
    {
        var problems = new List<string>();
        foreach (var file in FilesToWrite(scope, dotEnvStore))
            if (Problem(file) is { } problem) problems.Add(problem);
        return problems;
    }

    /// <summary>The scope's files a rotation or a restore writes, relative to the root.</summary>
    public static IReadOnlyList<ScopeFile> FilesToWrite(DeploymentScope scope, bool dotEnvStore) =>
        scope.Files().Where(f => f.Relative == ".env" ? dotEnvStore : f.Path == scope.Paths.EnvContract || HoldsEncryptedField(f)).ToArray();

    static bool HoldsEncryptedField(ScopeFile file)
    {
        // A file that does not read or parse is the census's problem, reported there with its line.
        try { return EncryptedFieldScanner.HoldsField(file.Path, file.ConfigRelative); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigJsonException) { return false; }
    }

    static string? Problem(ScopeFile file)
    {
        var target = AtomicFile.FinalTarget(file.Path);
        var shown = target == file.Path ? file.Path : $"{file.Path} (a symlink to {target})";
        var folder = Path.GetDirectoryName(target)!;
        switch (UnixWriteAccess.BlockingFlag(target))
        {
            case UnixWriteAccess.Flag.Immutable:
                return $"{shown}: the file is immutable (chattr +i), so the rotation cannot replace it. Fix: `chattr -i {target}`, or exclude its folder with --config-exclusions if it holds no field the rotation must keep.";
            case UnixWriteAccess.Flag.AppendOnly:
                return $"{shown}: the file is append-only (chattr +a), so the rotation cannot replace it. Fix: `chattr -a {target}`.";
        }
        if (UnixWriteAccess.BlockingFlag(folder) == UnixWriteAccess.Flag.Immutable)
            return $"{shown}: its folder {folder} is immutable (chattr +i), so no temp file can be created there. Fix: `chattr -i {folder}`.";
        if (!UnixOwner.CanChangeOwners && UnixOwner.Of(target) is { } owner && owner.Uid != UnixOwner.CurrentUid)
            return $"{shown}: the file belongs to uid {owner.Uid}, not to this build's user (uid {UnixOwner.CurrentUid}); a rewrite would change its owner and the app may lose access. Fix: run the build as root or as uid {owner.Uid}.";
        if (!UnixWriteAccess.MayWrite(target, isFolder: false))
            return $"{shown}: the file is read-only for this build's user. Fix: `chmod u+w {target}`, or run the build as the file's owner.";
        if (!UnixWriteAccess.MayWrite(folder, isFolder: true))
            return $"{shown}: its folder {folder} is not writable for this build's user, and the atomic write puts its temp file there. Fix: give the build's user write access to {folder}.";
        return null;
    }
}
