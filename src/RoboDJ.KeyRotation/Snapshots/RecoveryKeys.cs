using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>
/// Where a Rollback that cannot finish leaves every key the deployment's fields may need: recovery-keys.env in the
/// rotation's journal folder (0600, dotenv, so python-dotenv reads it too). While the restore is half done, .env may
/// hold the new V1 and the old V1 while some fields are still under the old V2, whose only other copy is the snapshot;
/// this file holds all of them, named in the run's message with the command that finishes the rollback, so "a field
/// opens with no key in .env" always means "recoverable with that command". The disk may be full by then, so room is
/// set aside when the snapshot is taken (zeros, no key), and the keys are written into it and then renamed into place.
/// A rollback that finishes shreds both.
/// </summary>
public static class RecoveryKeys
{
    public const string FileName = "recovery-keys.env";
    /// <summary>Beside the snapshot's files, so that retention shreds it with the snapshot.</summary>
    const string ReserveName = ".recovery-keys.reserve";
    /// <summary>The room set aside: the file with three keys and its comments is about 1 KiB.</summary>
    public const int ReservedBytes = 8192;

    public static string PathIn(string journalDir) => Path.Combine(journalDir, FileName);

    /// <summary>Sets aside room for the file on the journal's file system while it has some (called as the snapshot is taken).</summary>
    public static void Reserve(string snapshotDir)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"set aside room for a recovery file in {snapshotDir}");
        AtomicFile.WriteAllBytes(Path.Combine(snapshotDir, ReserveName), new byte[ReservedBytes], FileModes.Private);
    }

    /// <summary>Writes the keys, atomically and 0600; returns the file's path. Never prints a key.</summary>
    /// <param name="restore">The pair a finished rollback puts back into .env (the pre-rotation V1 and V2).</param>
    /// <param name="others">Every other key a field may be under until the restore is done (the rotation's new V1).</param>
    public static string Write(string journalDir, string snapshotDir, string rotationId, string command, KeySlots restore, IEnumerable<FernetKey> others, string why)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"write the recovery file {PathIn(journalDir)}");
        var pair = new[] { restore.Primary, restore.Secondary }.OfType<FernetKey>().ToList();
        var extra = others.Where(k => !pair.Contains(k)).Distinct().ToList();
        var text = new StringBuilder()
            .Append($"# Rotation {rotationId}: Rollback could not finish. These are the keys the deployment's encrypted fields need;\n")
            .Append("# this file is 0600 and holds secrets: never copy it elsewhere. It is shredded when a rollback finishes.\n")
            .Append($"# Why: {OneLine(SecretRedactor.Redact(why))}\n")
            .Append($"# Recover: fix that cause, then run `{command}`; it puts the pre-rotation pair below back into .env.\n")
            .Append($"# The pre-rotation pair: V1 {restore.Primary?.Fingerprint.ToString() ?? "unknown"}, V2 {restore.Secondary?.Fingerprint.ToString() ?? "unknown"}\n");
        if (restore.Primary is { } v1) text.Append($"{KeySlots.PrimaryName}={v1.Text}\n");
        if (restore.Secondary is { } v2) text.Append($"{KeySlots.SecondaryName}={v2.Text}\n");
        for (var i = 0; i < extra.Count; i++)
            text.Append($"# A key fields may still be under until the restore is done: {extra[i].Fingerprint}\n")
                .Append($"ROBODJ_RECOVERY_KEY_{i + 1}={extra[i].Text}\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var path = PathIn(journalDir);
        var reserve = Path.Combine(snapshotDir, ReserveName);
        if (File.Exists(reserve) && bytes.Length <= ReservedBytes) WriteIntoReserve(reserve, path, bytes);
        else AtomicFile.WriteAllBytes(path, bytes, FileModes.Private, null);
        return path;
    }

    /// <summary>Overwrites the reserved blocks in place (no new room needed), then renames the file into place: whole or absent.</summary>
    static void WriteIntoReserve(string reserve, string path, byte[] bytes)
    {
        using (var stream = new FileStream(reserve, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.SetLength(bytes.Length);
            stream.Flush(flushToDisk: true);
        }
        FileModes.Set(reserve, FileModes.Private);
        File.Move(reserve, path, overwrite: true);
    }

    /// <summary>Shreds the recovery file and the room set aside for it: the rollback they were for has finished.</summary>
    public static void Remove(string journalDir, string snapshotDir)
    {
        Shredder.Remove(PathIn(journalDir));
        Shredder.Remove(Path.Combine(snapshotDir, ReserveName));
    }

    static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
