using System.Text.Json;

namespace RoboDJ.Sandbox.App;

/// <summary>config/broadcasts.json: {"broadcasts": [{"title", "starts_at"}]}, starts_at in ISO 8601 with an offset.</summary>
sealed class Broadcasts(SandboxLayout layout, TimeProvider clock)
{
    public sealed record Broadcast(string Title, DateTimeOffset StartsAt);
    sealed record BroadcastFile(List<Broadcast>? Broadcasts);

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The broadcasts starting from now up to <paramref name="window"/> ahead, earliest first.</summary>
    public IReadOnlyList<Broadcast> StartingWithin(TimeSpan window)
    {
        if (!File.Exists(layout.Broadcasts)) return [];
        BroadcastFile? file;
        try { file = JsonSerializer.Deserialize<BroadcastFile>(File.ReadAllBytes(layout.Broadcasts), JsonOptions); }
        catch (JsonException e)
        {
            throw new ConfigParseException($"config/broadcasts.json is not a valid broadcast list ({ConfigFile.DescribeParseError(e)}); expected {{\"broadcasts\": [{{\"title\": \"...\", \"starts_at\": \"2026-01-01T10:00:00Z\"}}]}}");
        }
        var now = clock.GetUtcNow();
        return (file?.Broadcasts ?? [])
            .Where(b => b.StartsAt >= now && b.StartsAt <= now + window)
            .OrderBy(b => b.StartsAt)
            .ToList();
    }
}
