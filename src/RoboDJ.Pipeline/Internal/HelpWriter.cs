namespace RoboDJ.Pipeline.Internal;

/// <summary>--help: listed targets with their direct dependencies and descriptions, then the parameters. Never a value.</summary>
static class HelpWriter
{
    public static void Write(ConsoleOutput output, IReadOnlyList<ExecutableTarget> targets, ExecutableTarget? defaultTarget, IReadOnlyList<ParameterMember> parameters)
    {
        var listed = targets.Where(t => t.IsListed).ToList();
        output.Line("Targets (with their direct dependencies):", ConsoleOutput.Bold);
        output.Line();
        var names = listed.Select(t => t.Name + (t == defaultTarget ? " (default)" : "") + (t.IsGate ? " [gate]" : "")).ToList();
        var width = names.Select(n => n.Length).DefaultIfEmpty(0).Max();
        for (var i = 0; i < listed.Count; i++)
        {
            var t = listed[i];
            var deps = t.DependsOn.Count > 0 ? " -> " + string.Join(", ", t.DependsOn.Select(d => d.Name)) : "";
            output.Line($"  {names[i].PadRight(width)}{deps}".TrimEnd(), t == defaultTarget ? ConsoleOutput.Cyan : null);
            if (t.Description is { Length: > 0 } description) output.Line($"  {"".PadRight(width)}    {description}", ConsoleOutput.Grey);
        }
        output.Line();
        output.Line("Parameters:", ConsoleOutput.Bold);
        output.Line();
        var rows = parameters.Select(p => ("--" + p.Kebab + (p.IsFlag ? "" : " <value>"), Describe(p)))
            .Concat(CommandLine.EngineOptions.Select(o => ("--" + o.Name + (o.Value.Length > 0 ? " " + o.Value : ""), o.Description)))
            .ToList();
        var column = rows.Max(r => r.Item1.Length) + 2;
        foreach (var (option, description) in rows) output.Line($"  {option.PadRight(column)}{description}");
        output.Line();
        foreach (var line in BindingRule(parameters)) output.Line(line);
    }

    /// <summary>The one binding rule (<see cref="ParameterBinder"/>), in the operator's words, with one of this build's parameters as the example.</summary>
    static string[] BindingRule(IReadOnlyList<ParameterMember> parameters)
    {
        var prefixed = parameters.Where(p => p.EnvironmentName?.StartsWith(Names.EnvironmentPrefix, StringComparison.Ordinal) == true).ToList();
        // A two-word name shows how the flag becomes the variable.
        var example = prefixed.FirstOrDefault(p => p.Kebab.Contains('-')) ?? prefixed.FirstOrDefault();
        var (flag, variable) = example is null ? ("--name", Names.EnvironmentPrefix + "NAME") : ("--" + example.Kebab, example.EnvironmentName!);
        return
        [
            $"Where a value comes from, first found wins: the command line ({flag} X); the environment variable",
            $"{Names.EnvironmentPrefix}<NAME> (e.g. {variable}; no other variable sets a parameter);",
            ".nuke/parameters.<profile>.json (the profile is --profile, else the value of --env); .nuke/parameters.json; the",
            "default. An empty variable or file value counts as unset; an empty value on the command line is an error.",
            "A [secret] comes only from its own variable, named above; a [command line only] option never from a variable",
            "or a parameters file. Every error about a value names where it came from.",
        ];
    }

    static string Describe(ParameterMember p)
    {
        var text = p.Description ?? "";
        if (p.AllowedValues is { } values) text += $" ({string.Join(" | ", values)})";
        if (!double.IsNaN(p.Attribute.Minimum)) text += $" (at least {p.Attribute.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        if (p.IsSecret) text += $" [secret: from env {p.EnvironmentName} only]";
        if (p.IsCommandLineOnly) text += " [command line only]";
        return text.Trim();
    }
}
