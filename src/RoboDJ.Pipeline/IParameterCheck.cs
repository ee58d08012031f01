namespace RoboDJ.Pipeline;

/// <summary>
/// A parameter's own rule for its text, beyond its type: <c>[Parameter(Check = typeof(X))]</c>. The engine applies it
/// at binding, before any target runs, to whichever source gave the value, and its error names that source.
/// </summary>
public interface IParameterCheck
{
    /// <summary>The only values accepted when they are a fixed set (matched case-insensitively; --help and the schema list them).</summary>
    IReadOnlyList<string>? ValidValues => null;

    /// <summary>What is wrong with <paramref name="value"/> and what a valid one looks like, or null when it is fine. Never repeats the value.</summary>
    string? Problem(string value) => null;
}
