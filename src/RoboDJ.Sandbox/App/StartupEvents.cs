using System.Text;
using System.Text.Json;

namespace RoboDJ.Sandbox.App;

/// <summary>
/// config/logs/startup_safety_events.jsonl: one JSON object per line, appended, as RoboDJ writes it.
/// The pipeline's Verify reads it from a recorded byte offset, so lines are only ever appended whole.
/// </summary>
sealed class StartupEvents(string path)
{
    public const string PassMessage = "Key presence/integrity check: PASS";

    public void Append(string level, string eventName, string message, IReadOnlyDictionary<string, object>? extra = null)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
            json.WriteString("level", level);
            json.WriteString("event", eventName);
            json.WriteString("message", message);
            json.WriteNumber("pid", Environment.ProcessId);
            foreach (var (key, value) in extra ?? new Dictionary<string, object>())
            {
                if (value is int number) json.WriteNumber(key, number);
                else json.WriteString(key, value.ToString());
            }
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // One write call with O_APPEND, so a concurrent reader never sees half a line from us.
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        stream.Flush(flushToDisk: true);
    }

    public static string FailMessage(string reason) => $"Key presence/integrity check: FAIL ({reason})";
}
