using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Journal;

/// <summary>
/// The append-only record of one rotation, key_rotation/&lt;id&gt;/journal.jsonl beside config/. Every line is flushed to disk
/// before the step it announces runs, so a crash leaves a journal that says exactly how far the rotation got.
/// </summary>
public sealed class RotationJournal
{
    public const string FileName = "journal.jsonl";

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    static int appendsInProcess;

    /// <summary>Called after every line is on disk with the count of lines this process wrote; the build's crash-test hook.</summary>
    public static Action<int>? AfterAppend { get; set; }

    RotationJournal(string directory, RotationId id, string env, string actor)
    {
        Directory = directory;
        Id = id;
        Env = env;
        Actor = actor;
    }

    public RotationId Id { get; }
    public string Env { get; }
    public string Actor { get; }
    public string Directory { get; }
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>Starts a new journal with its Begin line; <paramref name="facts"/> records e.g. the old fingerprints.</summary>
    public static RotationJournal Create(string keyRotationDir, RotationId id, string env, string actor, IReadOnlyDictionary<string, string>? facts = null)
    {
        var dir = Path.Combine(keyRotationDir, id.Value);
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"open the journal of rotation {id}");
        if (System.IO.Directory.Exists(dir) && File.Exists(Path.Combine(dir, FileName)))
            throw new InvalidOperationException($"A journal for rotation {id} already exists in {dir}.");
        System.IO.Directory.CreateDirectory(dir);
        Snapshots.FileModes.Set(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var journal = new RotationJournal(dir, id, env, actor);
        // Published whole (temp file, rename): a reader never finds a journal without its first line.
        AtomicFile.WriteAllBytes(journal.FilePath, Encoding.UTF8.GetBytes(journal.Line(RotationStep.Begin, StepPhase.Ended, facts)), OwnerOnly);
        AfterAppend?.Invoke(Interlocked.Increment(ref appendsInProcess));
        return journal;
    }

    /// <summary>Opens an existing journal folder; its identity comes from its first line.</summary>
    public static RotationJournal Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var first = ReadEntries(path).FirstOrDefault()
            ?? throw new JournalCorruptException(path, 1, "the journal has no complete first line; remove the folder if no rotation ran, or restore with Rollback --rotation <id>");
        return new RotationJournal(directory, RotationId.Parse(first.Rotation), first.Env, first.Actor);
    }

    // 0600 like the snapshot files: the journal names the operator, the hosts and the rotation's timing.
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    string Line(RotationStep step, StepPhase phase, IReadOnlyDictionary<string, string>? facts) =>
        JsonSerializer.Serialize(new JournalEntry(DateTimeOffset.UtcNow, Id.Value, Env, Actor, step, phase, facts, WriteFence.Current?.Token), Json) + "\n";

    public void Append(RotationStep step, StepPhase phase, IReadOnlyDictionary<string, string>? facts = null)
    {
        // A holder fenced meanwhile must not add a line to the journal its successor now writes (a stray Started line
        // would move the fold); its one line is RecordFenced's.
        WriteFence.ThrowIfFenced($"journal {step} {phase.ToString().ToLowerInvariant()} in {FilePath}");
        AppendLine(step, phase, facts);
    }

    /// <summary>
    /// The one line a fenced holder still writes: a Failed line of the step it stopped in, with what it had done, so the
    /// fold (which reads Started and Ended lines) is unchanged and the operator reads why this run stopped.
    /// </summary>
    public void RecordFenced(RotationStep step, string error, string done) =>
        AppendLine(step, StepPhase.Failed, new Dictionary<string, string> { [JournalFacts.Error] = error, [JournalFacts.Fenced] = done });

    void AppendLine(RotationStep step, StepPhase phase, IReadOnlyDictionary<string, string>? facts)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"journal {step} {phase} in {FilePath}");
        var line = Line(step, phase, facts);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(FilePath, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(line));
            stream.Flush(flushToDisk: true);
        }
        AfterAppend?.Invoke(Interlocked.Increment(ref appendsInProcess));
    }

    public void Started(RotationStep step, IReadOnlyDictionary<string, string>? facts = null) => Append(step, StepPhase.Started, facts);
    public void Ended(RotationStep step, IReadOnlyDictionary<string, string>? facts = null) => Append(step, StepPhase.Ended, facts);
    public void Failed(RotationStep step, string error) =>
        Append(step, StepPhase.Failed, new Dictionary<string, string> { [JournalFacts.Error] = error });

    public IReadOnlyList<JournalEntry> Entries => ReadEntries(FilePath);

    /// <summary>The latest step that has an Ended line; null when none has.</summary>
    public RotationStep? LastCompletedStep =>
        Entries.LastOrDefault(e => e.Phase == StepPhase.Ended) is { } e ? e.Step : null;

    public bool HasEnded(RotationStep step) => Entries.Any(e => e.Step == step && e.Phase == StepPhase.Ended);

    /// <summary>Completed or rolled back: nothing is left half-way.</summary>
    public bool IsFinished => Entries.Any(e => e.Phase == StepPhase.Ended && e.Step is RotationStep.Completed or RotationStep.RolledBack);

    /// <summary>The most recent value of a fact, from any line.</summary>
    public string? Fact(string name) => Entries.Select(e => e.Fact(name)).LastOrDefault(v => v is not null);

    /// <summary>The newest journal that is neither completed nor rolled back, if any.</summary>
    public static RotationJournal? FindUnfinished(string keyRotationDir) =>
        All(keyRotationDir).LastOrDefault(j => !j.IsFinished);

    public static RotationJournal? FindLatest(string keyRotationDir) => All(keyRotationDir).LastOrDefault();

    public static RotationJournal? Find(string keyRotationDir, RotationId id) =>
        File.Exists(Path.Combine(keyRotationDir, id.Value, FileName)) ? Open(Path.Combine(keyRotationDir, id.Value)) : null;

    /// <summary>Every journal, oldest first (ids sort by time).</summary>
    public static IEnumerable<RotationJournal> All(string keyRotationDir)
    {
        if (!System.IO.Directory.Exists(keyRotationDir)) return [];
        return System.IO.Directory.EnumerateDirectories(keyRotationDir)
            .Where(d => RotationId.TryParse(Path.GetFileName(d), out _) && File.Exists(Path.Combine(d, FileName)))
            .Order(StringComparer.Ordinal)
            .Select(Open)
            .ToList();
    }

    /// <summary>Reads complete lines; a last line without its newline is a write the crash interrupted and is ignored.</summary>
    static List<JournalEntry> ReadEntries(string path)
    {
        var bytes = InputFile.ReadAllBytes(path, Config.InputLimits.JournalBytes,
            fix: "the journal must be the regular file the rotation wrote: restore it, or move its folder away if no rotation ran");
        var text = Utf8Text.Decode(bytes, (line, column) => new JournalCorruptException(path, line, $"column {column}: a byte that is not UTF-8; the journal is append-only, restore the line or use Rollback"));
        var lines = text.Split('\n');
        var entries = new List<JournalEntry>();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Length == 0) continue;
            try { entries.Add(JsonSerializer.Deserialize<JournalEntry>(lines[i], Json)!); }
            catch (JsonException e) { throw new JournalCorruptException(path, i + 1, $"line is not a journal entry ({e.Message}); the journal is append-only, restore the line or use Rollback"); }
        }
        return entries;
    }
}
