namespace RoboDJ.KeyRotation.Journal;

public sealed class JournalCorruptException(string path, int line, string problem)
    : Exception($"{path}:{line}: {problem}.")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
