namespace RoboDJ.Pipeline;

/// <summary>
/// A build parameter on a field or property. Values: CLI <c>--kebab-case</c> &gt; the environment variable
/// <c>ROTATION_&lt;UPPER_SNAKE&gt;</c> &gt; <c>.nuke/parameters.&lt;profile&gt;.json</c> &gt; <c>.nuke/parameters.json</c> &gt;
/// initializer. An empty value counts as unset in the environment and in a file, and is an error on the command line.
/// A <see cref="SecretAttribute"/> member comes only from its own variable (UPPER_SNAKE, no prefix); a
/// <see cref="CommandLineOnly"/> one only from the command line.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>The only values accepted (case-insensitive, bound as spelt here); anything else is bad input that lists them.</summary>
    public string[]? ValidValues { get; set; }

    /// <summary>For a number: the smallest value accepted; a smaller one is bad input naming its source. NaN: no minimum.</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>
    /// An explicit act of the operator (a confirmation, taking over a lock, accepting a loss): only the command line gives
    /// it. A variable or a parameters file that holds it is bad input, so that no ambient or committed setting stands in for it.
    /// </summary>
    public bool CommandLineOnly { get; set; }

    /// <summary>A type implementing <see cref="IParameterCheck"/>: its rule for the value, applied to every source at binding.</summary>
    public Type? Check { get; set; }
}
