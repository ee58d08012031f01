using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>Keeps every log event as text, unredacted, so that a test sees exactly what the helpers handed to Serilog.</summary>
sealed class CapturingSink : ILogEventSink
{
    readonly StringBuilder text = new();
    public int Count { get; private set; }

    public void Emit(LogEvent logEvent)
    {
        lock (text)
        {
            Count++;
            text.AppendLine(logEvent.RenderMessage());
            foreach (var (name, value) in logEvent.Properties) text.Append(name).Append('=').AppendLine(value.ToString());
            if (logEvent.Exception is not null) text.AppendLine(logEvent.Exception.ToString());
        }
    }

    public string Text { get { lock (text) return text.ToString(); } }
}
