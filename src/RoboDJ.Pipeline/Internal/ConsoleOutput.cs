namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// The one way text reaches the console: every line is redacted first. Colour (ANSI) only when the host says the
/// console is a terminal and NO_COLOR is unset.
/// </summary>
sealed class ConsoleOutput(TextWriter writer, bool colour, int width = ConsoleOutput.DefaultWidth)
{
    /// <summary>For a console that is not a terminal (a CI log, a pipe) and has no COLUMNS.</summary>
    public const int DefaultWidth = 120;

    readonly Lock gate = new();

    public bool Colour { get; } = colour;
    /// <summary>Columns the summary table may use.</summary>
    public int Width { get; } = width;
    public TextWriter Writer { get; } = writer;

    public void Line(string? text = null, string? ansi = null)
    {
        var safe = SecretRedactor.Redact(text);
        lock (gate) Writer.WriteLine(Colour && ansi is not null && safe.Length > 0 ? $"\u001b[{ansi}m{safe}\u001b[0m" : safe);
    }

    /// <summary>Workflow commands that must not be redacted (::add-mask:: carries the secret on purpose).</summary>
    public void Raw(string text)
    {
        lock (gate) { Writer.WriteLine(text); Writer.Flush(); }
    }

    public void Flush()
    {
        lock (gate) Writer.Flush();
    }

    public const string Red = "31", Yellow = "33", Green = "32", Cyan = "36", Grey = "90", Bold = "1";
}
