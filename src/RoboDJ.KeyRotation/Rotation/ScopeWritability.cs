using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Preflight's proof that every file Rotate or Restore will write can be replaced, before anything changes: .env (for a
/// dotenv store), the env contract, and each config JSON of the scope that holds an encrypted field. Which files is
/// decided here; whether each can be replaced is <see cref="AtomicWriteAccess"/>'s answer. Writes nothing.
/// </summary>
public static class ScopeWritability
{
    /// <summary>One message per file that cannot be written, naming the file and the fix; empty when all can.</summary>
    public static IReadOnlyList<string> Problems(DeploymentScope scope, bool dotEnvStore)
    {
        var problems = new List<string>();
        foreach (var file in FilesToWrite(scope, dotEnvStore))
            if (AtomicWriteAccess.Refusal(file.Path) is { } refusal) problems.Add(refusal.Message);
        return problems;
    }

    /// <summary>The scope's files a rotation or a restore writes, relative to the root.</summary>
    public static IReadOnlyList<ScopeFile> FilesToWrite(DeploymentScope scope, bool dotEnvStore) =>
        scope.Files().Where(f => f.Relative == ".env" ? dotEnvStore : f.Relative == Config.EnvContract.RelativePath || HoldsEncryptedField(f)).ToArray();

    static bool HoldsEncryptedField(ScopeFile file)
    {
        // A file that does not read or parse is the census's problem, reported there with its line.
        try { return EncryptedFieldScanner.HoldsField(file.Path, file.ConfigRelative); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigJsonException) { return false; }
    }
}
