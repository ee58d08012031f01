using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace RoboDJ.KeyRotation.Tests.GitHub;

/// <summary>A verbose Serilog logger whose output (messages, properties, exceptions) a test can scan for canaries.</summary>
public sealed class CapturedLog : ILogEventSink
{
    readonly List<LogEvent> events = [];

    public CapturedLog() => Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public ILogger Logger { get; }

    public void Emit(LogEvent logEvent)
    {
        lock (events) events.Add(logEvent);
    }

    public IReadOnlyList<LogEvent> Events
    {
        get { lock (events) return events.ToList(); }
    }

    public string Text => string.Join("\n", Events.Select(e =>
        $"{e.Level} {e.RenderMessage()} {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}"));
}
