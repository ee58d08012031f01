using System.Reflection;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// --help, wrapped to the console's width: the targets by group ([HelpGroup]) with their direct dependencies and
/// descriptions, then every parameter and engine option. Never a value.
/// </summary>
static class HelpWriter
{
    const string Indent = "  ", DescriptionIndent = "      ";
    /// <summary>Below this many columns for descriptions beside the options, each description goes under its option.</summary>
    const int NarrowestDescription = 32, WidestOptionColumn = 30;

    public static void Write(ConsoleOutput output, Type buildType, IReadOnlyList<ExecutableTarget> targets, ExecutableTarget? defaultTarget, IReadOnlyList<ParameterMember> parameters)
    {
        var width = output.Width;
        Paragraph(output, "Usage: ./build.sh [targets] [--option value ...]   (Windows: build.cmd)");
        Paragraph(output, "A target runs with the targets it depends on and those it triggers; --plan shows the order without running it.");
        foreach (var (heading, members) in Groups(buildType, targets))
        {
            output.Line();
            output.Line(heading + ":", ConsoleOutput.Bold);
            foreach (var t in members)
            {
                var name = t.Name + (t == defaultTarget ? " (default)" : "") + (t.IsGate ? " [gate]" : "");
                var dependencies = t.DependsOn.Where(d => d.IsListed).Select(d => d.Name).ToList();
                var header = dependencies.Count > 0 ? $"{name} -> {string.Join(", ", dependencies)}" : name;
                foreach (var line in TextWrap.Wrap(header, width - Indent.Length)) output.Line(Indent + line, t == defaultTarget ? ConsoleOutput.Cyan : null);
                if (t.Description is { Length: > 0 } description)
                    foreach (var line in TextWrap.Wrap(description, width - DescriptionIndent.Length)) output.Line(DescriptionIndent + line, ConsoleOutput.Grey);
            }
        }
        if (parameters.Count > 0)
        {
            output.Line();
            output.Line("Parameters:", ConsoleOutput.Bold);
            Options(output, parameters.Select(p => ("--" + p.Kebab + (p.IsFlag ? "" : " <value>"), Describe(p))));
        }
        output.Line();
        output.Line("Engine options:", ConsoleOutput.Bold);
        Options(output, CommandLine.EngineOptions.Select(o => ("--" + o.Name + (o.Value.Length > 0 ? " " + o.Value : ""), o.Description)));
        output.Line();
        Paragraph(output, BindingRule(parameters));
    }

    /// <summary>The one binding rule (<see cref="ParameterBinder"/>), in the operator's words, with one of this build's parameters as the example.</summary>
    static string BindingRule(IReadOnlyList<ParameterMember> parameters)
    {
        var prefixed = parameters.Where(p => p.EnvironmentName?.StartsWith(Names.EnvironmentPrefix, StringComparison.Ordinal) == true).ToList();
        // A two-word name shows how the flag becomes the variable.
        var example = prefixed.FirstOrDefault(p => p.Kebab.Contains('-')) ?? prefixed.FirstOrDefault();
        var (flag, variable) = example is null ? ("--name", Names.EnvironmentPrefix + "NAME") : ("--" + example.Kebab, example.EnvironmentName!);
        return $"Where a value comes from, first found wins: the command line ({flag} X); the environment variable " +
               $"{Names.EnvironmentPrefix}<NAME> (e.g. {variable}; no other variable sets a parameter); " +
               ".nuke/parameters.<profile>.json (the profile is --profile, else the value of --env); .nuke/parameters.json; the " +
               "default. An empty variable or file value counts as unset; an empty value on the command line is an error. " +
               "A [secret] comes only from its own variable, named above; a [command line only] option never from a variable " +
               "or a parameters file. Every error about a value names where it came from.";
    }

    /// <summary>The [HelpGroup]s in declaration order, then "Other targets": every listed target once.</summary>
    static IEnumerable<(string Heading, List<ExecutableTarget> Targets)> Groups(Type buildType, IReadOnlyList<ExecutableTarget> targets)
    {
        var listed = targets.Where(t => t.IsListed).ToList();
        var placed = new HashSet<ExecutableTarget>();
        foreach (var group in buildType.GetCustomAttributes<HelpGroupAttribute>(inherit: false))
        {
            var members = group.Targets.Select(n => listed.FirstOrDefault(t => t.Name == n)).OfType<ExecutableTarget>().Where(placed.Add).ToList();
            if (members.Count > 0) yield return (group.Heading, members);
        }
        var rest = listed.Where(t => !placed.Contains(t)).ToList();
        if (rest.Count > 0) yield return (placed.Count > 0 ? "Other targets" : "Targets", rest);
    }

    /// <summary>Two columns when the console leaves room for the descriptions beside the options; else each under its option.</summary>
    static void Options(ConsoleOutput output, IEnumerable<(string Option, string Description)> rows)
    {
        var list = rows.ToList();
        var column = Math.Min(WidestOptionColumn, list.Max(r => r.Option.Length)) + 2;
        var room = output.Width - Indent.Length - column;
        foreach (var (option, description) in list)
        {
            if (room < NarrowestDescription || option.Length > column - 2)
            {
                foreach (var line in TextWrap.Wrap(option, output.Width - Indent.Length)) output.Line(Indent + line);
                foreach (var line in TextWrap.Wrap(description, output.Width - DescriptionIndent.Length)) output.Line(DescriptionIndent + line);
                continue;
            }
            var lines = TextWrap.Wrap(description, room);
            output.Line(Indent + option.PadRight(column) + lines[0]);
            foreach (var line in lines.Skip(1)) output.Line(Indent + new string(' ', column) + line);
        }
    }

    static void Paragraph(ConsoleOutput output, string text)
    {
        foreach (var line in TextWrap.Wrap(text, output.Width)) output.Line(line);
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
