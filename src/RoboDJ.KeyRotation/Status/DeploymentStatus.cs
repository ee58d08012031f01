using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoboDJ.KeyRotation.Status;

/// <summary>What Status saw, fingerprints and counts only; <see cref="Verdict"/> decides the exit code.</summary>
public sealed record DeploymentStatus
{
    public required string Env { get; init; }
    public required DateTimeOffset At { get; init; }
    public required KeyStatus V1 { get; init; }
    public KeyStatus? V2 { get; init; }
    public required int MaxKeyAgeDays { get; init; }
    public required CensusCounts Census { get; init; }
    public LockStatus? Lock { get; init; }
    public UnfinishedRotation? Unfinished { get; init; }
    public required IReadOnlyList<string> SnapshotsKept { get; init; }
    public required AppHealth App { get; init; }

    public bool Overdue => V1.CurrentSince is { } since && At - since > TimeSpan.FromDays(MaxKeyAgeDays);

    /// <summary>The most urgent problem first: an unfinished rotation, a field no key opens, the app down, then an overdue key.</summary>
    [JsonPropertyName("verdict")]
    public StatusVerdict Verdict =>
        Unfinished is not null ? StatusVerdict.RotationUnfinished
        : Census.Undecryptable > 0 ? StatusVerdict.FieldUndecryptable
        : !App.Healthy ? StatusVerdict.AppUnhealthy
        : Overdue ? StatusVerdict.KeyOverdue
        : StatusVerdict.Healthy;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for scripts, never HTML
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Lines for the console: the same facts as the job summary's table.</summary>
    /// <summary>What Status saw, one labelled fact each, for the console and the job summary alike.</summary>
    public IEnumerable<(string Label, string Text)> Facts()
    {
        yield return ($"V1 {V1.Fingerprint}", Describe(V1) + (Overdue ? $", OVERDUE (policy {MaxKeyAgeDays} days)" : $" (policy {MaxKeyAgeDays} days)"));
        if (V2 is not null)
            yield return ($"V2 {V2.Fingerprint}", (V1.CurrentSince is { } shifted ? $"V2 since {shifted:yyyy-MM-dd HH:mm} UTC" : "V2 since an unknown time") +
                (V2.CurrentSince is { } was ? $", V1 before that from {was:yyyy-MM-dd HH:mm} UTC" : ""));
        yield return ("census", $"{Census.Total} field(s): {Census.UnderV1} under V1, {Census.UnderV2} under V2, {Census.Undecryptable} undecryptable");
        yield return ("lock", Lock is null ? "free" : $"held by {Lock.Holder} (pid {Lock.Pid} on {Lock.Host}), heartbeat {Lock.HeartbeatAgeSeconds} s ago");
        if (Unfinished is not null) yield return ($"unfinished rotation {Unfinished.Id}", $"last step {Unfinished.LastStep}; next: {Unfinished.NextStep}");
        yield return ("snapshots kept", $"{SnapshotsKept.Count}" + (SnapshotsKept.Count > 0 ? $" ({string.Join(", ", SnapshotsKept)})" : ""));
        yield return ("app", App.Detail);
    }

    static string Describe(KeyStatus key) => key.CurrentSince is { } since
        ? $"V1 since {since:yyyy-MM-dd HH:mm} UTC ({key.AgeDays} days, rotation {key.RotationId})"
        : "age unknown (no completed rotation of this pipeline made it V1)";
}

public enum StatusVerdict { Healthy, KeyOverdue, AppUnhealthy, FieldUndecryptable, RotationUnfinished }

public sealed record KeyStatus(string Fingerprint, DateTimeOffset? CurrentSince, int? AgeDays, string? RotationId);

public sealed record CensusCounts(int Total, int UnderV1, int UnderV2, int Undecryptable, IReadOnlyList<string> UndecryptableFields);

public sealed record LockStatus(string Holder, string Host, int Pid, long HeartbeatAgeSeconds);

public sealed record UnfinishedRotation(string Id, string LastStep, string NextStep);

public sealed record AppHealth(bool Running, bool? LatestKeyCheckPassed, string Detail)
{
    [JsonIgnore] public bool Healthy => Running && LatestKeyCheckPassed == true;
}
