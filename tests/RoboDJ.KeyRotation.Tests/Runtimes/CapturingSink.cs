using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>
/// Collects rendered Serilog lines. Tests run in parallel and Serilog's logger is static, so one sink is installed
/// for the whole run; tests assert that lines are present (or that no canary is), never that others are absent.
/// </summary>
sealed class CapturingSink : ILogEventSink
{
    static readonly Lazy<CapturingSink> shared = new(() =>
    {
        var sink = new CapturingSink();
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        return sink;
    });

    readonly List<string> lines = [];

    public static CapturingSink Shared => shared.Value;

    public string Text { get { lock (lines) return string.Join('\n', lines); } }

    public void Emit(LogEvent logEvent)
    {
        lock (lines) lines.Add(logEvent.RenderMessage());
    }
}
