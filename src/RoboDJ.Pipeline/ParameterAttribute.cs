namespace RoboDJ.Pipeline;

/// <summary>
/// A build parameter on a field or property. Values: CLI <c>--kebab-case</c> &gt; environment variable (member name or
/// UPPER_SNAKE) &gt; <c>.nuke/parameters.&lt;profile&gt;.json</c> &gt; <c>.nuke/parameters.json</c> &gt; initializer.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>The only values accepted (case-insensitive); anything else is bad input that lists them.</summary>
    public string[]? ValidValues { get; set; }

    /// <summary>For a number: the smallest value accepted; a smaller one is bad input naming its source. NaN: no minimum.</summary>
    public double Minimum { get; set; } = double.NaN;
}
