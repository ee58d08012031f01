using System.Security.Cryptography;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Pipeline;
using Serilog;

using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>
/// The pre-rotation backup (runbook §2): every file of the <see cref="DeploymentScope"/>, with a SHA-256 manifest that
/// also records mode and owner, folder 0700 and files 0600 because it holds both keys. Restore checks every hash before
/// it writes anything, then writes back only the files that differ.
/// </summary>
public sealed class SnapshotStore(DeploymentScope scope)
{
    readonly DeploymentPaths paths = scope.Paths;

    public const string ManifestName = "manifest.json";
    const string FilesFolder = "files";
    /// <summary>Where a fix text sends the operator for the pre-rotation .env, relative to the deployment root.</summary>
    public const string DotEnvCopy = "key_rotation/<rotation-id>/snapshot/" + FilesFolder + "/.env";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    static readonly UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    static readonly UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The python interpreter for config/scripts/startup_safety.py.</summary>
    public string Python { get; init; } = OperatingSystem.IsWindows() ? "python" : "python3";
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The files a snapshot takes, relative to the deployment root, in a stable order: the whole scope.</summary>
    public IReadOnlyList<string> FilesToSnapshot() => scope.Files().Select(f => f.Relative).ToArray();

    public string Describe(string snapshotDir)
    {
        var files = FilesToSnapshot();
        var script = File.Exists(paths.StartupSafetyScript) ? $"; would run {Python} config/scripts/startup_safety.py --snapshot" : "";
        return $"would snapshot {files.Count} files to {snapshotDir} (0700/0600, SHA-256 manifest; scope: {scope.Describe()}): {string.Join(", ", files)}{script}";
    }

    public async Task<SnapshotManifest> CreateAsync(string snapshotDir, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, Describe(snapshotDir));
        if (Directory.Exists(snapshotDir) && Directory.EnumerateFileSystemEntries(snapshotDir).Any())
            throw new IOException($"{snapshotDir}: a snapshot is already there; a snapshot is never overwritten.");
        // The app's own snapshot first: whatever it writes inside the scope is then in the manifest too, so the
        // rewrap never changes a file that Rollback could not give back.
        await RunStartupSafetySnapshotAsync(cancellationToken);
        var walk = scope.Walk();
        DiskSpace.Require([(snapshotDir, walk.Files.Sum(f => FileStatus.Of(f.Path).Size) + RecoveryKeys.ReservedBytes)], $"the snapshot of {walk.Files.Count} files");
        CreatePrivateDirectory(snapshotDir);
        RecoveryKeys.Reserve(snapshotDir);
        var entries = walk.Files.Select(f => CopyIn(snapshotDir, f)).ToList();
        // The links the walk went through, with their targets: after this, only these are followed (DeploymentScope.PinnedTo).
        var manifest = new SnapshotManifest(DateTimeOffset.UtcNow, entries, walk.Links);
        AtomicFile.WriteAllBytes(Path.Combine(snapshotDir, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, Json), FileMode600);
        Log.Information("Snapshot of {Count} files in {Dir}", entries.Count, snapshotDir);
        return manifest;
    }

    /// <summary>The scope as this snapshot saw it: only the links its manifest recorded are followed, each to the same target.</summary>
    public DeploymentScope ScopeAsSnapshotted(string snapshotDir) => scope.PinnedTo(ReadManifest(snapshotDir).Links);

    SnapshotFile CopyIn(string snapshotDir, ScopeFile file)
    {
        var bytes = InputFile.ReadAllBytes(file.Path, file.Relative == ".env" ? InputLimits.DotEnvBytes : InputLimits.ConfigJsonBytes);
        var target = Path.Combine(snapshotDir, FilesFolder, file.Relative);
        CreatePrivateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.WriteAllBytes(target, bytes, FileMode600);
        var owner = UnixOwner.Of(file.Path);
        return new SnapshotFile(file.Relative, Hash(bytes), bytes.Length, ModeOf(file.Path), owner?.Uid, owner?.Gid);
    }

    /// <summary>
    /// Adds the scope's files that appeared after the snapshot (the app wrote them before it was stopped), so that
    /// Rewrap never changes a file Rollback could not give back, with the links on their paths. Call with the app down.
    /// Returns the added paths. A known file that became a link is not re-recorded: the pinned scope refuses it.
    /// </summary>
    public IReadOnlyList<string> AddFilesNewSinceSnapshot(string snapshotDir)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"add files new since the snapshot to {snapshotDir}");
        var manifest = ReadManifest(snapshotDir);
        var known = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var walk = scope.Walk();
        var fresh = walk.Files.Where(f => !known.Contains(f.Relative)).ToList();
        if (fresh.Count == 0) return [];
        DiskSpace.Require([(snapshotDir, fresh.Sum(f => FileStatus.Of(f.Path).Size))], $"adding {fresh.Count} new file(s) to the snapshot");
        var added = fresh.Select(f => CopyIn(snapshotDir, f)).ToList();
        var newLinks = walk.Links.Where(l => (manifest.Links ?? []).All(m => m.Path != l.Path)
            && fresh.Any(f => f.Relative == l.Path || f.Relative.StartsWith(l.Path + "/", StringComparison.Ordinal))).ToList();
        var grown = manifest with { Files = [.. manifest.Files, .. added], Links = manifest.Links is null ? null : [.. manifest.Links, .. newLinks] };
        AtomicFile.WriteAllBytes(Path.Combine(snapshotDir, ManifestName), JsonSerializer.SerializeToUtf8Bytes(grown, Json), FileMode600);
        Log.Information("Snapshot {Dir}: added {Count} file(s) that appeared after it was taken: {Files}", snapshotDir, added.Count, string.Join(", ", added.Select(a => a.Path)));
        return added.Select(a => a.Path).ToList();
    }

    async Task RunStartupSafetySnapshotAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(paths.StartupSafetyScript)) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(Python)
                .WithArguments([paths.StartupSafetyScript, "--snapshot"])
                .WithWorkingDirectory(paths.Root)
                // Never the keys, even when the operator's shell exports them: the script reads .env itself.
                .WithEnvironmentVariables(ChildEnvironment.AsOverrides(ChildProcess.Script, ChildEnvironment.Current()))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SnapshotScriptFailedException(paths.StartupSafetyScript, $"it did not finish within {ScriptTimeout.TotalSeconds:0} s");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SnapshotScriptFailedException(paths.StartupSafetyScript, $"could not run {Python}: {e.Message}");
        }
        var output = SecretRedactor.Redact((result.StandardOutput + result.StandardError).Trim());
        if (result.ExitCode != 0) throw new SnapshotScriptFailedException(paths.StartupSafetyScript, $"exit code {result.ExitCode}: {output}");
        Log.Information("startup_safety.py --snapshot: {Output}", output);
    }

    public static SnapshotManifest ReadManifest(string snapshotDir)
    {
        var path = Path.Combine(snapshotDir, ManifestName);
        if (!FileStatus.Of(path).Exists) throw new SnapshotCorruptException(snapshotDir, ManifestName, "the manifest is missing");
        byte[] bytes;
        try { bytes = InputFile.ReadAllBytes(path, InputLimits.ManifestBytes); }
        catch (InputFileException e) { throw new SnapshotCorruptException(snapshotDir, ManifestName, e.Problem); }
        if (Utf8Text.FirstInvalid(bytes) is var bad and >= 0)
            throw new SnapshotCorruptException(snapshotDir, ManifestName, $"line {Utf8Text.PositionOf(bytes, bad).Line}: a byte that is not UTF-8");
        try { return JsonSerializer.Deserialize<SnapshotManifest>(bytes, Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new SnapshotCorruptException(snapshotDir, ManifestName, $"the manifest does not parse (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})"); }
    }

    /// <summary>Checks every hash; throws <see cref="SnapshotCorruptException"/> naming the first bad file.</summary>
    public static SnapshotManifest Check(string snapshotDir)
    {
        var manifest = ReadManifest(snapshotDir);
        foreach (var file in manifest.Files)
        {
            var stored = Path.Combine(snapshotDir, FilesFolder, file.Path);
            if (InputFile.Problem(stored) is { } problem) throw new SnapshotCorruptException(snapshotDir, file.Path, $"the snapshot's copy cannot be read: {problem}");
            if (FileContentHash.Of(stored) != file.Sha256) throw new SnapshotCorruptException(snapshotDir, file.Path, "its SHA-256 does not match the manifest");
        }
        return manifest;
    }

    /// <summary>One file of the snapshot, after checking its hash (e.g. the old .env, to recover the pre-rotation keys).</summary>
    public static byte[] ReadVerified(string snapshotDir, string relativePath)
    {
        var manifest = ReadManifest(snapshotDir);
        var entry = manifest.Files.FirstOrDefault(f => f.Path == relativePath.Replace('\\', '/'))
            ?? throw new SnapshotCorruptException(snapshotDir, relativePath, "the snapshot does not hold this file");
        var bytes = InputFile.ReadAllBytes(Path.Combine(snapshotDir, FilesFolder, entry.Path), InputLimits.ConfigJsonBytes);
        if (Hash(bytes) != entry.Sha256) throw new SnapshotCorruptException(snapshotDir, entry.Path, "its SHA-256 does not match the manifest");
        return bytes;
    }

    public string DescribeRestore(string snapshotDir)
    {
        var manifest = ReadManifest(snapshotDir);
        var pinned = scope.PinnedTo(manifest.Links);
        var changed = manifest.Files.Where(f => !IsIdentical(pinned, f)).Select(f => f.Path).ToList();
        return $"would restore {changed.Count} changed file(s) of {manifest.Files.Count} from {snapshotDir}" +
               (changed.Count == 0 ? " (every file is identical)" : $": {string.Join(", ", changed)}");
    }

    /// <summary>
    /// After every hash of the snapshot checked (a damaged snapshot writes nothing) and room on disk for the largest
    /// write (a full disk writes nothing): writes back each file whose bytes differ from the manifest or that is missing,
    /// with its recorded mode and owner, and hashes it again. Every path resolves beneath the root, through only the links
    /// the manifest recorded: a file or folder swapped for a link since is refused, never written through. One file's
    /// failure does not stop the others; the report names it.
    /// </summary>
    public RestoreReport Restore(string snapshotDir)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, DescribeRestore(snapshotDir));
        var manifest = Check(snapshotDir);
        var pinned = scope.PinnedTo(manifest.Links);
        var changes = manifest.Files.Where(f => !IsIdentical(pinned, f)).ToList();
        DiskSpace.Require(changes.Select(f => (Path.GetDirectoryName(Path.Combine(paths.Root, f.Path))!, f.Size)), $"the restore of {changes.Count} file(s)", oneAtATime: true);
        var restored = new List<string>();
        var identical = new List<string>();
        var failed = new List<RestoreFailure>();
        var secrets = Path.GetRelativePath(paths.Root, paths.DotEnv).Replace('\\', '/');
        // Config first, the keys last: while a config file is still as the rotation left it (under the new V1), putting the
        // old keys back would leave its fields under a key that exists nowhere. Then the rotated keys, which open both, stay.
        foreach (var file in manifest.Files.OrderBy(f => f.Path == secrets))
        {
            if (!changes.Contains(file)) { identical.Add(file.Path); continue; }
            if (file.Path == secrets && failed.Count > 0)
            {
                failed.Add(new RestoreFailure(file.Path, $"kept as the rotation left it: {failed.Count} config file(s) above are still under the new V1, " +
                    "which only these keys open; restore them first, then run Rollback again"));
                continue;
            }
            try
            {
                RestoreOne(snapshotDir, pinned, file);
                restored.Add(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add(new RestoreFailure(file.Path, WhyNotWritten(pinned, file, e)));
            }
        }
        var report = new RestoreReport(restored, identical, failed);
        Log.Information("Restore from {Dir}: {Summary}", snapshotDir, report.Summary);
        return report;
    }

    void RestoreOne(string snapshotDir, DeploymentScope pinned, SnapshotFile file)
    {
        var bytes = InputFile.ReadAllBytes(Path.Combine(snapshotDir, FilesFolder, file.Path), InputLimits.ConfigJsonBytes);
        // Beneath the root, through recorded links only: the mode and owner below land on a file of the deployment.
        var target = pinned.Locate(file.Path);
        var exists = File.Exists(target);
        // A manifest from before owners were recorded: the file keeps the mode and owner it has now.
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null
            : file.Mode is { } m ? (UnixFileMode)Convert.ToInt32(m, 8) : exists ? File.GetUnixFileMode(target) : FileMode600;
        var owner = file.Uid is { } uid && file.Gid is { } gid ? new UnixOwner(uid, gid) : exists ? UnixOwner.Of(target) : null;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.WriteAllBytes(target, bytes, mode, owner);
        if (!IsIdentical(pinned, file)) throw new IOException($"{target}: after the write its SHA-256 still differs from the manifest");
    }

    static bool IsIdentical(DeploymentScope pinned, SnapshotFile file)
    {
        try { return pinned.Locate(file.Path) is var current && File.Exists(current) && FileContentHash.Of(current) == file.Sha256; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>A failed write names its cause and the fix: a link, an immutable file, a full disk say what to do about them.</summary>
    static string WhyNotWritten(DeploymentScope pinned, SnapshotFile file, Exception error)
    {
        if (error is ScopePathException or InsufficientSpaceException) return error.Message;
        try { return AtomicWriteAccess.Refusal(pinned.Locate(file.Path))?.Message ?? error.Message; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return error.Message; }
    }

    static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static string? ModeOf(string path) => OperatingSystem.IsWindows() ? null : Convert.ToString((int)File.GetUnixFileMode(path), 8);

    static void CreatePrivateDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(dir); return; }
        // Every folder this creates gets 0700, not just the leaf.
        Directory.CreateDirectory(dir, DirMode);
        FileModes.Set(dir, DirMode);
    }

}
