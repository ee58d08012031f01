namespace RoboDJ.KeyRotation.Config;

/// <summary>A config JSON file that cannot be read or has the wrong shape. Names the file, the line or JSON path, and the fix; never a value.</summary>
public sealed class ConfigJsonException(string file, string where, string problem, string fix)
    : Exception($"{file}:{where}: {problem}. Fix: {fix}")
{
    public string File { get; } = file;
    public string Where { get; } = where;
}
