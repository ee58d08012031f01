namespace RoboDJ.KeyRotation.Secrets;

/// <summary>A .env statement that neither docker compose nor python-dotenv would read. Names the file, the line and the fix; never the value.</summary>
public sealed class DotEnvSyntaxException(string file, int line, string problem, string fix)
    : Exception($"{file}:{line}: {problem}. Fix: {fix}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
    public string Fix { get; } = fix;
}
