namespace RoboDJ.KeyRotation.Secrets;

/// <summary>A file (or folder) the rotation must replace atomically cannot be; names it, says why and the fix.</summary>
public sealed class FileNotWritableException(string shown, string problem, string fix)
    : IOException($"{shown}: {problem}. Fix: {fix}.")
{
    /// <summary>The path as given, with its final target when it is a symlink.</summary>
    public string Shown { get; } = shown;
    public string Problem { get; } = problem;
    public string Fix { get; } = fix;
}
