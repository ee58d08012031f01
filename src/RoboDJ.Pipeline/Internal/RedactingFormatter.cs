using Serilog.Events;
using Serilog.Formatting;

namespace RoboDJ.Pipeline.Internal;

/// <summary>Renders with the inner formatter to a string, redacts it, then writes it: no secret reaches a log file.</summary>
sealed class RedactingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new StringWriter();
        inner.Format(logEvent, buffer);
        output.Write(SecretRedactor.Redact(buffer.ToString()));
    }
}
