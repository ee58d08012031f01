using System.Text.RegularExpressions;

namespace RoboDJ.KeyRotation;

/// <summary>
/// A message as a Serilog message template with its values ("swarm service {Service}: {State}"), so the log
/// keeps each value as a named property rather than the whole sentence as one. <see cref="Progress"/> writes each at once,
/// on the caller's thread, so it keeps its place among the run's other events and their log context.
/// </summary>
public sealed partial record LogMessage(string Template, params object?[] Values)
{
    public static IProgress<LogMessage> Progress { get; } = new LoggedProgress();

    /// <summary>Writes it with the given level's method, e.g. <c>note.LogAs(Log.Error)</c>.</summary>
    public void LogAs(Action<string, object?[]?> write) => write(Template, Values);

    /// <summary>The text as a reader sees it: each {Name} replaced by its value, in order.</summary>
    public override string ToString()
    {
        var next = 0;
        return Property().Replace(Template, m => next < Values.Length ? Values[next++]?.ToString() ?? "" : m.Value);
    }

    [GeneratedRegex(@"\{[^{}]+\}")]
    private static partial Regex Property();

    sealed class LoggedProgress : IProgress<LogMessage>
    {
        public void Report(LogMessage value) => Serilog.Log.Information(value.Template, value.Values);
    }
}
