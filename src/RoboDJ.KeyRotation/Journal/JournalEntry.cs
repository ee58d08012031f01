using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Journal;

/// <summary>
/// One line of the journal. <see cref="Facts"/> holds only what is safe to write down: fingerprints, counts, paths,
/// offsets. Never a key. <see cref="LockToken"/> is the fencing token of the rotation lock the line was written under
/// (none for a line written without the lock), so the lines of a run that was fenced are told apart from its successor's.
/// </summary>
public sealed record JournalEntry(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("rotation")] string Rotation,
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("step")] RotationStep Step,
    [property: JsonPropertyName("phase")] StepPhase Phase,
    [property: JsonPropertyName("facts")] IReadOnlyDictionary<string, string>? Facts = null,
    [property: JsonPropertyName("lock")] long? LockToken = null)
{
    public string? Fact(string name) => Facts is not null && Facts.TryGetValue(name, out var v) ? v : null;
}
