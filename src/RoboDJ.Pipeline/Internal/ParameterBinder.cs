namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// The one binding rule. Each [Parameter] takes the first source that has a value: the command line (--kebab-case),
/// the environment variable ROTATION_&lt;UPPER_SNAKE&gt;, parameters.&lt;profile&gt;.json, parameters.json, the member's
/// initializer. An empty value counts as unset in the environment and in a file (GitHub passes an unset variable as
/// ""), and is an error on the command line. A secret comes only from its own variable (DASHBOARD_PASSWORD), a
/// command-line-only parameter only from the command line: either one found anywhere else is refused, whatever other
/// source has it. Every value is converted and checked here, before any target runs, and an error names its source.
/// </summary>
static class ParameterBinder
{
    /// <summary>Returns where each parameter's value came from, by member name.</summary>
    public static IReadOnlyDictionary<string, string> Bind(PipelineBuild build, IReadOnlyList<ParameterMember> parameters, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, string rootDirectory)
    {
        var files = ReadFiles(parameters, cli, environment, rootDirectory);
        CheckFileKeys(parameters, files);
        CheckVariables(parameters, environment);

        var sources = new Dictionary<string, string>();
        foreach (var p in parameters)
        {
            RefuseWhereItMayNotComeFrom(p, cli, files);
            var found = Find(p, cli, environment, files);
            sources[p.Name] = (found?.Source ?? ValueSource.Default).ToString();
            if (found is not { } value) continue;
            if (p.IsSecret) foreach (var v in value.Values) SecretRedactor.Register(v);
            var converted = ValueConverter.Convert(p, value.Values, value.Source);
            CheckMinimum(p, converted, value.Source);
            p.SetValue(build, converted);
        }
        return sources;
    }

    static List<ParametersFile> ReadFiles(IReadOnlyList<ParameterMember> parameters, CommandLine cli, IReadOnlyDictionary<string, string> environment, string rootDirectory)
    {
        var nuke = Path.Combine(rootDirectory, ".nuke");
        var files = new List<ParametersFile>();
        var defaultFile = Path.Combine(nuke, "parameters.json");
        // Anything there is read or refused as what it is (a folder, a FIFO, a dangling link), never passed over.
        if (IO.FileStatus.Of(defaultFile).Exists) files.Add(ParametersFile.Read(defaultFile, ".nuke/parameters.json"));

        foreach (var profile in Profiles(parameters, cli, environment, files))
        {
            var path = Path.Combine(nuke, $"parameters.{profile.Name}.json");
            if (IO.FileStatus.Of(path).Exists) files.Add(ParametersFile.Read(path, $".nuke/parameters.{profile.Name}.json"));
            else if (profile.Explicit)
                throw new BuildInputException($"Profile '{EchoedInput.Shown(profile.Name)}' has no file .nuke/parameters.{EchoedInput.Shown(profile.Name)}.json. Known profiles: {KnownProfiles(nuke)}.");
        }
        return files;
    }

    static void CheckFileKeys(IReadOnlyList<ParameterMember> parameters, List<ParametersFile> files)
    {
        var known = parameters.Select(p => Names.Normalize(p.Name)).ToHashSet();
        foreach (var file in files)
            foreach (var (key, (original, _)) in file.Values)
                if (!known.Contains(key))
                    throw new BuildInputException($"{file.Path}: unknown parameter '{original}'.{Names.DidYouMean(original, parameters.Select(p => p.Name))} Run --help for the list.");
    }

    /// <summary>A set variable under our prefix that binds nothing is a typo or a value in the wrong place: said, never ignored.</summary>
    static void CheckVariables(IReadOnlyList<ParameterMember> parameters, IReadOnlyDictionary<string, string> environment)
    {
        var bound = parameters.Select(p => p.EnvironmentName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Names.EnvironmentPrefix, StringComparison.Ordinal) || value.Length == 0 || bound.Contains(name)) continue;
            var key = Names.Normalize(name[Names.EnvironmentPrefix.Length..]);
            var p = parameters.FirstOrDefault(x => Names.Normalize(x.Name) == key);
            if (p is { IsSecret: true })
                throw new BuildInputException($"The environment variable {name} is set, but {p.Name} is a secret that comes only from {p.EnvironmentName}: set {p.EnvironmentName} instead and unset {name}.");
            if (p is { IsCommandLineOnly: true })
                throw new BuildInputException($"The environment variable {name} is set, but --{p.Kebab} comes only from the command line, so that no ambient setting stands in for it: unset {name} and pass {ValueConverter.Example(p)}.");
            var candidates = parameters.Select(x => x.EnvironmentName).OfType<string>().Where(n => n.StartsWith(Names.EnvironmentPrefix, StringComparison.Ordinal)).ToList();
            throw new BuildInputException($"Unknown environment variable {name}: {Names.EnvironmentPrefix}* variables are build parameters.{Names.DidYouMean(name, candidates)} " +
                $"Valid ones: {string.Join(", ", candidates)}. Unset it or correct its name.");
        }
    }

    static void RefuseWhereItMayNotComeFrom(ParameterMember p, CommandLine cli, List<ParametersFile> files)
    {
        foreach (var file in files)
        {
            if (!p.IsRefusedInFiles || !file.Values.TryGetValue(Names.Normalize(p.Name), out var entry) || NonEmpty(entry.Values) is not { Count: > 0 } values) continue;
            var at = ValueSource.File(file.Path, entry.Key);
            if (p.IsSecret)
            {
                foreach (var v in values) SecretRedactor.Register(v);
                throw new BuildInputException($"{at} is a secret and may only come from the environment variable {p.EnvironmentName} (never argv or a file): remove it from {file.Path}.");
            }
            throw new BuildInputException($"{at}: --{p.Kebab} comes only from the command line, so that no committed setting stands in for it: remove it from {file.Path} and pass {ValueConverter.Example(p)} when you mean it.");
        }
        if (p.IsSecret && cli.Values.TryGetValue(p, out var given))
        {
            foreach (var v in given) SecretRedactor.Register(v);
            throw new BuildInputException($"--{p.Kebab} is a secret and may only come from the environment variable {p.EnvironmentName} (never argv or a file).");
        }
    }

    static (List<string> Values, ValueSource Source)? Find(ParameterMember p, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, List<ParametersFile> files)
    {
        if (cli.Values.TryGetValue(p, out var cliValues))
        {
            if (cliValues.Any(v => v.Length == 0))
                throw new BuildInputException($"--{p.Kebab} was given an empty value: give one (e.g. {ValueConverter.Example(p)}), or leave the option out and " +
                    (p.IsCommandLineOnly ? "it stays unset." : $"{p.EnvironmentName}, the parameters file or the default applies."));
            return (cliValues, ValueSource.Flag(p));
        }
        if (p.EnvironmentName is { } name && environment.TryGetValue(name, out var value) && value.Length > 0)
            return ([value], ValueSource.Variable(name));
        if (p.IsRefusedInFiles) return null;
        // Later files (profiles) win over earlier ones (the default file).
        for (var i = files.Count - 1; i >= 0; i--)
            if (files[i].Values.TryGetValue(Names.Normalize(p.Name), out var entry) && NonEmpty(entry.Values) is { Count: > 0 } values)
                return (values, ValueSource.File(files[i].Path, entry.Key));
        return null;
    }

    static List<string> NonEmpty(List<string> values) => values.Where(v => v.Length > 0).ToList();

    static void CheckMinimum(ParameterMember p, object? value, ValueSource source)
    {
        var minimum = p.Attribute.Minimum;
        if (double.IsNaN(minimum) || value is not (int or long or double)) return;
        var number = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number >= minimum) return;
        var shown = System.Convert.ToString(minimum, System.Globalization.CultureInfo.InvariantCulture);
        throw new BuildInputException($"Invalid value {System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)} for {source}: {p.Kebab} must be at least {shown}; {source.Fix(p, shown + " or more")}.");
    }

    /// <summary>
    /// --profile, else the value of an Env parameter (CLI, environment, default file), as DESIGN.md §3 says, spelt as
    /// its valid values spell it: --env Staging loads parameters.staging.json.
    /// </summary>
    static IEnumerable<(string Name, bool Explicit)> Profiles(IReadOnlyList<ParameterMember> parameters, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, List<ParametersFile> files)
    {
        if (cli.Profiles.Count > 0) return cli.Profiles.Select(p => (CheckName(p, null), true));
        var env = parameters.FirstOrDefault(p => p.Name == "Env" && (p.ValueType == typeof(string) || p.ValueType.IsEnum));
        if (env is null || Find(env, cli, environment, files) is not { Values: [var value], Source: var source }) return [];
        if (env.AllowedValues is { } allowed)
        {
            // A value outside them loads no file: its conversion reports it, with its source and the valid ones.
            var canonical = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
            return canonical is null ? [] : [(CheckName(canonical, source), false)];
        }
        return [(CheckName(value, source), false)];
    }

    /// <param name="source">Where the profile's name came from when it is the value of Env; null: --profile.</param>
    static string CheckName(string profile, ValueSource? source) =>
        profile.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') && !profile.StartsWith('.')
            ? profile
            : throw new BuildInputException($"Invalid profile name '{EchoedInput.Shown(profile)}' (from {source?.ToString() ?? "--profile"}): use letters, digits, '-', '_' or '.'.");

    static string KnownProfiles(string nuke)
    {
        var names = Directory.Exists(nuke)
            ? Directory.GetFiles(nuke, "parameters.*.json").Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Order().ToList()
            : [];
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
