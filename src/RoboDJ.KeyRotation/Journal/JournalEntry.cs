using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Journal;

/// <summary>
/// One line of the journal. <see cref="Facts"/> holds only what is safe to write down: fingerprints, counts, paths,
/// offsets. Never a key.
/// </summary>
public sealed record JournalEntry(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("rotation")] string Rotation,
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("step")] RotationStep Step,
    [property: JsonPropertyName("phase")] StepPhase Phase,
    [property: JsonPropertyName("facts")] IReadOnlyDictionary<string, string>? Facts = null)
{
    public string? Fact(string name) => Facts is not null && Facts.TryGetValue(name, out var v) ? v : null;
}
