namespace RoboDJ.Pipeline.Internal;

/// <summary>Where a parameter's value came from, named by every error about the value, with how to change it there.</summary>
sealed record ValueSource(ValueSourceKind Kind, string Name, string? JsonPath = null)
{
    public static ValueSource Flag(ParameterMember p) => new(ValueSourceKind.Flag, "--" + p.Kebab);
    public static ValueSource Variable(string name) => new(ValueSourceKind.Variable, name);
    public static ValueSource File(string path, string key) => new(ValueSourceKind.File, path, "$." + key);
    public static readonly ValueSource Default = new(ValueSourceKind.Default, "its default");

    /// <summary>"--env", "environment variable ROTATION_ENV", ".nuke/parameters.staging.json, $.Env", "its default".</summary>
    public override string ToString() => Kind switch
    {
        ValueSourceKind.Variable => "environment variable " + Name,
        ValueSourceKind.File => $"{Name}, {JsonPath}",
        _ => Name,
    };

    /// <summary>How to give <paramref name="what"/> instead, where this value came from.</summary>
    public string Fix(ParameterMember p, string what) => Kind switch
    {
        ValueSourceKind.Flag => $"give --{p.Kebab} {what}",
        ValueSourceKind.Variable => $"set {Name} to {what}",
        ValueSourceKind.File => $"change it in {Name} to {what}",
        _ => $"give --{p.Kebab} {what}",
    };
}

enum ValueSourceKind { Flag, Variable, File, Default }
