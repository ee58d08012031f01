using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Readable console lines ("12:34:56 [WRN] message"), redacted by <see cref="ConsoleOutput"/>: information to stdout,
/// warnings and errors to stderr. Exceptions show their message; the stack trace only at verbose. Under GitHub Actions
/// warnings and errors also become annotations.
/// </summary>
sealed class ConsoleSink(ConsoleOutput output, LogEventLevel minimum, bool stackTraces, GitHubActions? actions) : ILogEventSink
{
    public void Emit(LogEvent e)
    {
        if (e.Level < minimum) return;
        var message = Render(e);
        if (e.Exception is { } ex && !message.Contains(ex.Message, StringComparison.Ordinal)) message += ": " + ex.Message;
        var (tag, colour) = e.Level switch
        {
            LogEventLevel.Verbose => ("VRB", ConsoleOutput.Grey),
            LogEventLevel.Debug => ("DBG", ConsoleOutput.Grey),
            LogEventLevel.Information => ("INF", null),
            LogEventLevel.Warning => ("WRN", ConsoleOutput.Yellow),
            _ => ("ERR", ConsoleOutput.Red),
        };
        var line = $"{e.Timestamp.ToLocalTime():HH:mm:ss} [{tag}] {message}";
        if (e.Level >= LogEventLevel.Warning) output.Error(line, colour);
        else output.Line(line, colour);
        if (stackTraces && e.Exception is not null) output.Error(e.Exception.ToString(), ConsoleOutput.Grey);
        if (actions is not null && e.Level >= LogEventLevel.Warning)
            actions.Annotate(e.Level == LogEventLevel.Warning ? "warning" : "error", message);
    }

    // Strings read better without the quotes Serilog's default rendering puts around them.
    static string Render(LogEvent e)
    {
        using var text = new StringWriter();
        foreach (var token in e.MessageTemplate.Tokens)
            if (token is PropertyToken p && e.Properties.TryGetValue(p.PropertyName, out var v) && v is ScalarValue { Value: string s } && p.Format is null)
                text.Write(s);
            else
                token.Render(e.Properties, text);
        return text.ToString();
    }
}
