namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// The one way text reaches the console: every line is redacted first. Results (help, plan, summary, outcome) go to
/// <see cref="Writer"/> (stdout), warnings and errors to <see cref="ErrorWriter"/> (stderr), so that a script can keep
/// one without the other. Colour (ANSI) only when the host says the console is a terminal and NO_COLOR is unset.
/// </summary>
sealed class ConsoleOutput(TextWriter writer, TextWriter errorWriter, bool colour, int width = ConsoleOutput.DefaultWidth)
{
    /// <summary>For a console that is not a terminal (a CI log, a pipe) and has no COLUMNS.</summary>
    public const int DefaultWidth = 120;

    // One lock for both streams: a reader that merges them (a test, `2>&1`) sees lines in the order they were written.
    readonly Lock gate = new();

    public bool Colour { get; } = colour;
    /// <summary>Columns the help and the summary table may use.</summary>
    public int Width { get; } = width;
    public TextWriter Writer { get; } = writer;
    public TextWriter ErrorWriter { get; } = errorWriter;

    public void Line(string? text = null, string? ansi = null) => Write(Writer, text, ansi);

    public void Error(string? text, string? ansi = null) => Write(ErrorWriter, text, ansi);

    void Write(TextWriter to, string? text, string? ansi)
    {
        var safe = SecretRedactor.Redact(text);
        lock (gate) to.WriteLine(Colour && ansi is not null && safe.Length > 0 ? $"\u001b[{ansi}m{safe}\u001b[0m" : safe);
    }

    /// <summary>Workflow commands that must not be redacted (::add-mask:: carries the secret on purpose).</summary>
    public void Raw(string text)
    {
        lock (gate) { Writer.WriteLine(text); Writer.Flush(); }
    }

    public void Flush()
    {
        lock (gate) { Writer.Flush(); ErrorWriter.Flush(); }
    }

    public const string Red = "31", Yellow = "33", Green = "32", Cyan = "36", Grey = "90", Bold = "1";
}
