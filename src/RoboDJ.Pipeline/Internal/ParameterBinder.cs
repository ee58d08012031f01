namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Sets each [Parameter] from the first source that has it: CLI &gt; environment &gt; parameters.&lt;profile&gt;.json &gt;
/// parameters.json &gt; the member's initializer. Secrets are registered with <see cref="SecretRedactor"/> on the spot.
/// </summary>
static class ParameterBinder
{
    /// <returns>Where each parameter that was given got its value (by member name), e.g. "--env" or ".nuke/parameters.json, $.Env".</returns>
    public static IReadOnlyDictionary<string, string> Bind(PipelineBuild build, IReadOnlyList<ParameterMember> parameters, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, string rootDirectory)
    {
        var sources = new Dictionary<string, string>();
        var nuke = Path.Combine(rootDirectory, ".nuke");
        var files = new List<ParametersFile>();
        var defaultFile = Path.Combine(nuke, "parameters.json");
        if (File.Exists(defaultFile)) files.Add(ParametersFile.Read(defaultFile, ".nuke/parameters.json"));

        foreach (var profile in Profiles(parameters, cli, environment, files))
        {
            var path = Path.Combine(nuke, $"parameters.{profile.Name}.json");
            if (File.Exists(path)) files.Add(ParametersFile.Read(path, $".nuke/parameters.{profile.Name}.json"));
            else if (profile.Explicit)
                throw new BuildInputException($"Profile '{profile.Name}' has no file .nuke/parameters.{profile.Name}.json. Known profiles: {KnownProfiles(nuke)}.");
        }

        var known = parameters.Select(p => Names.Normalize(p.Name)).ToHashSet();
        foreach (var file in files)
            foreach (var (key, (original, _)) in file.Values)
                if (!known.Contains(key))
                    throw new BuildInputException($"{file.Path}: unknown parameter '{original}'.{Names.DidYouMean(original, parameters.Select(p => p.Name))} Valid parameters: {string.Join(", ", parameters.Select(p => p.Name))}.");

        foreach (var p in parameters)
        {
            var found = Find(p, cli, environment, files);
            if (found is null) continue;
            var (values, source, fromEnvironment) = found.Value;
            if (p.IsSecret)
            {
                foreach (var v in values) SecretRedactor.Register(v);
                if (!fromEnvironment)
                    throw new BuildInputException($"{source} is a secret and may only come from the environment variable {p.EnvironmentNames[^1]} (never argv or a file).");
            }
            var value = ValueConverter.Convert(p, values, source);
            CheckMinimum(p, value, source);
            p.SetValue(build, value);
            sources[p.Name] = source;
        }
        return sources;
    }

    static void CheckMinimum(ParameterMember p, object? value, string source)
    {
        var minimum = p.Attribute.Minimum;
        if (double.IsNaN(minimum) || value is not (int or long or double)) return;
        var number = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number >= minimum) return;
        var shown = System.Convert.ToString(minimum, System.Globalization.CultureInfo.InvariantCulture);
        var fix = source.StartsWith("--", StringComparison.Ordinal) ? $"give {source} {shown} or more"
            : source.StartsWith("environment variable ", StringComparison.Ordinal) ? $"set {source["environment variable ".Length..]} to {shown} or more"
            : $"change it in {source.Split(',')[0]} to {shown} or more";
        throw new BuildInputException($"Invalid value {System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)} for {source}: {p.Kebab} must be at least {shown}; {fix}.");
    }

    static (List<string> Values, string Source, bool FromEnvironment)? Find(ParameterMember p, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, List<ParametersFile> files)
    {
        if (cli.Values.TryGetValue(p, out var cliValues)) return (cliValues, "--" + p.Kebab, false);
        foreach (var name in p.EnvironmentNames)
            if (environment.TryGetValue(name, out var value))
                return ([value], $"environment variable {name}", true);
        // Later files (profiles) win over earlier ones (the default file).
        for (var i = files.Count - 1; i >= 0; i--)
            if (files[i].Values.TryGetValue(Names.Normalize(p.Name), out var entry) && entry.Values.Count > 0)
                return (entry.Values, $"{files[i].Path}, $.{entry.Key}", false);
        return null;
    }

    /// <summary>--profile, else the value of an Env parameter (CLI, environment, default file), as DESIGN.md §3 says.</summary>
    static IEnumerable<(string Name, bool Explicit)> Profiles(IReadOnlyList<ParameterMember> parameters, CommandLine cli,
        IReadOnlyDictionary<string, string> environment, List<ParametersFile> files)
    {
        if (cli.Profiles.Count > 0) return cli.Profiles.Select(p => (CheckName(p), true));
        var env = parameters.FirstOrDefault(p => p.Name == "Env" && p.ValueType == typeof(string) || p.Name == "Env" && p.ValueType.IsEnum);
        if (env is null) return [];
        var found = Find(env, cli, environment, files);
        return found is { Values.Count: 1 } f && f.Values[0].Length > 0 ? [(CheckName(f.Values[0]), false)] : [];
    }

    static string CheckName(string profile) =>
        profile.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') && !profile.StartsWith('.')
            ? profile
            : throw new BuildInputException($"Invalid profile name '{profile}': use letters, digits, '-', '_' or '.'.");

    static string KnownProfiles(string nuke)
    {
        var names = Directory.Exists(nuke)
            ? Directory.GetFiles(nuke, "parameters.*.json").Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Order().ToList()
            : [];
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
