namespace RoboDJ.Pipeline;

/// <summary>
/// Groups targets in <c>--help</c> under a heading, in the order the attributes are declared on the Build class, each
/// group's targets in the order given here. Listed targets in no group follow under "Other targets".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HelpGroupAttribute(string heading, params string[] targets) : Attribute
{
    public string Heading { get; } = heading;
    public string[] Targets { get; } = targets;
}
