using System.Text.Json;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Snapshots;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The pipeline's folder, &lt;root&gt;/key_rotation/ (0700), outside the app's config tree. Deployments of the earlier
/// layout (config/key_rotation/) are moved once, entry by entry with one rename each, so an unfinished rotation's
/// journal and snapshot are always in exactly one of the two places. Every move is logged and recorded in
/// key_rotation/layout-migration.jsonl.
/// </summary>
public static class KeyRotationLayout
{
    public const string MigrationRecord = "layout-migration.jsonl";
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Whether config/key_rotation/ still holds entries to move.</summary>
    public static bool IsPending(DeploymentPaths paths) =>
        Directory.Exists(paths.LegacyKeyRotation) && Directory.EnumerateFileSystemEntries(paths.LegacyKeyRotation).Any();

    /// <summary>The paths to read the journals from without migrating (Status, dry run): the old layout until it is moved.</summary>
    public static DeploymentPaths ForReading(DeploymentPaths paths) =>
        IsPending(paths) && !HoldsJournals(paths.KeyRotation) ? paths.InLegacyLayout() : paths;

    static bool HoldsJournals(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder, RotationJournal.FileName, SearchOption.AllDirectories).Any();

    public static string DescribePending(DeploymentPaths paths) =>
        $"{Relative(paths, paths.LegacyKeyRotation)}/ holds {Directory.EnumerateFileSystemEntries(paths.LegacyKeyRotation).Count()} entr(ies) " +
        $"that move to {Relative(paths, paths.KeyRotation)}/ at the next Rotate, Resume or Rollback";

    /// <summary>Creates key_rotation/ with mode 0700 (and tightens an existing one).</summary>
    public static void EnsurePrivate(DeploymentPaths paths)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(paths.KeyRotation); return; }
        Directory.CreateDirectory(paths.KeyRotation, OwnerOnly);
        File.SetUnixFileMode(paths.KeyRotation, OwnerOnly);
    }

    /// <summary>
    /// Moves every entry of config/key_rotation/ to key_rotation/. <paramref name="checkLegacyLock"/> refuses while a run of
    /// the old layout holds its lock. Refuses, moving nothing, when an entry exists in both places with other content;
    /// an identical copy left in the old place is shredded. Returns the entries moved.
    /// </summary>
    public static IReadOnlyList<string> Migrate(DeploymentPaths paths, Action<string> checkLegacyLock)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"move {paths.LegacyKeyRotation} to {paths.KeyRotation}");
        if (!IsPending(paths)) { EnsurePrivate(paths); return []; }
        // Both checks before key_rotation/ is created: a refused move leaves no empty new folder that readers would take for the layout.
        checkLegacyLock(Path.Combine(paths.LegacyKeyRotation, Path.GetFileName(paths.RotationLock)));
        var entries = Directory.EnumerateFileSystemEntries(paths.LegacyKeyRotation).Order(StringComparer.Ordinal).ToList();
        var conflicts = entries.Where(e => Exists(Target(paths, e)) && !SameContent(e, Target(paths, e))).ToList();
        if (conflicts.Count > 0) throw new KeyRotationLayoutConflictException(paths, conflicts.Select(Path.GetFileName).ToList()!);
        EnsurePrivate(paths);

        var moved = new List<string>();
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            var target = Target(paths, entry);
            string outcome;
            if (Exists(target)) { Shredder.Remove(entry); outcome = "identical copy already there; old copy shredded"; }
            else
            {
                try { if (Directory.Exists(entry)) Directory.Move(entry, target); else File.Move(entry, target); }
                catch (IOException e) when (Exists(entry))
                {
                    throw new IOException($"{entry}: could not move it to {target} ({e.Message}). Both folders must be on one filesystem; " +
                        $"move config/key_rotation/* to key_rotation/ by hand with no rotation running, then run again.", e);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { continue; } // another run moved it
                outcome = "moved";
                moved.Add(name);
            }
            Log.Information("Key rotation layout: {Entry} {Outcome} ({From} -> {To})", name, outcome, Relative(paths, entry), Relative(paths, target));
            Record(paths, name, Relative(paths, entry), Relative(paths, target), outcome);
        }
        try { if (!Directory.EnumerateFileSystemEntries(paths.LegacyKeyRotation).Any()) Directory.Delete(paths.LegacyKeyRotation); }
        catch (IOException) { } // something appeared meanwhile: the next run moves it
        return moved;
    }

    static string Target(DeploymentPaths paths, string legacyEntry) => Path.Combine(paths.KeyRotation, Path.GetFileName(legacyEntry));

    static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    static string Relative(DeploymentPaths paths, string path) => Path.GetRelativePath(paths.Root, path).Replace('\\', '/');

    static void Record(DeploymentPaths paths, string entry, string from, string to, string outcome)
    {
        var line = JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, entry, from, to, outcome }) + "\n";
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(Path.Combine(paths.KeyRotation, MigrationRecord), options);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Same files (relative names) with the same bytes.</summary>
    static bool SameContent(string a, string b)
    {
        if (File.Exists(a) && File.Exists(b)) return FileContentHash.Of(a) == FileContentHash.Of(b);
        if (!Directory.Exists(a) || !Directory.Exists(b)) return false;
        var left = Listing(a);
        var right = Listing(b);
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var h) && h == kv.Value);
    }

    static Dictionary<string, string> Listing(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), FileContentHash.Of);
}

/// <summary>Both layouts hold an entry of the same name with different content: which one is right needs a person.</summary>
public sealed class KeyRotationLayoutConflictException(DeploymentPaths paths, IReadOnlyList<string> entries)
    : Exception($"{paths.LegacyKeyRotation} and {paths.KeyRotation} both hold {string.Join(", ", entries)} with different content. " +
                "Nothing was moved. Compare the two copies, keep the one whose journal.jsonl is longer (the later writes), " +
                $"remove the other, then run again.")
{
    public IReadOnlyList<string> Entries { get; } = entries;
}
