namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// One assignment in a .env file. <see cref="Value"/> is null for a bare `KEY` line (compose takes it from the environment).
/// The value span covers the value as written, quotes included, so that an edit replaces exactly those characters.
/// </summary>
public sealed record DotEnvEntry(string Key, string? Value, int Line, int ValueStart, int ValueLength, char Quote)
{
    /// <summary>True when the line has no '=' and an edit must insert one.</summary>
    public bool IsBare => Value is null;
}

/// <summary>One statement of a .env file and the lines it spans: an assignment, a comment (neither set) or a skipped line.</summary>
public sealed record DotEnvStatement(int FirstLine, int LastLine, DotEnvEntry? Entry, DotEnvWarning? Skipped);
