namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// The parsed command line. Targets come positionally (before the first option) or from --target A+B; every other
/// --option is an engine option or a build parameter in kebab-case. A repeated option: the last one wins.
/// </summary>
sealed class CommandLine
{
    public List<string> Targets { get; } = [];
    /// <summary>null: not given; empty: bare --skip.</summary>
    public List<string>? Skip { get; private set; }
    public bool Help { get; private set; }
    public bool Plan { get; private set; }
    public bool DryRun { get; private set; }
    public bool GenerateSchema { get; private set; }
    public bool GenerateConfiguration { get; private set; }
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public string? Root { get; private set; }
    public List<string> Profiles { get; } = [];
    /// <summary>Build parameter values by member name; each the last occurrence on the line.</summary>
    public Dictionary<ParameterMember, List<string>> Values { get; } = [];

    /// <summary>The engine's own options, as --help lists them: name, value hint, description.</summary>
    public static readonly (string Name, string Value, string Description)[] EngineOptions =
    [
        ("target", "<A+B>", "Targets to run (also positional). Default: the build's default target"),
        ("skip", "[targets]", "Skip the named targets (never an invoked one or a gate); bare --skip skips all but the invoked ones"),
        ("plan", "", "Show the execution plan; write .nuke/temp/plan.md (Mermaid) and plan.html"),
        ("dry-run", "", "Run the plan, but targets only describe what they would change"),
        ("profile", "<name>", "Load .nuke/parameters.<name>.json (default: the value of --env)"),
        ("root", "<dir>", "Root directory (default: the nearest folder holding .nuke/)"),
        ("verbosity", "<level>", "quiet | minimal | normal | verbose (verbose shows stack traces)"),
        ("generate-configuration", "", "Write the GitHub Actions workflows (.github/workflows/) from the Build class's attributes"),
        ("generate-schema", "", "Write .nuke/build.schema.json (the parameters files' schema) from the parameters and targets"),
        ("no-logo", "", "Accepted for NUKE's command lines; this build prints no logo"),
        ("help", "", "Show this help"),
    ];

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterMember> parameters)
    {
        var cli = new CommandLine();
        var byKey = parameters.ToDictionary(p => Names.Normalize(p.Name));
        var i = 0;
        while (i < args.Count && !IsOption(args[i])) cli.Targets.Add(args[i++]);

        while (i < args.Count)
        {
            var token = args[i++];
            if (!IsOption(token)) { cli.Targets.Add(token); continue; }
            var name = token.TrimStart('-');
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            var key = Names.Normalize(name);

            // How many following tokens belong to this option: flags take an optional true/false, scalars one, lists all.
            List<string> Take(int max, bool flag = false)
            {
                if (inline is not null) return [inline];
                var values = new List<string>();
                while (i < args.Count && !IsOption(args[i]) && values.Count < max)
                {
                    if (flag && !bool.TryParse(args[i], out _)) break;
                    values.Add(args[i++]);
                }
                return values;
            }

            switch (key)
            {
                case "help" or "h": cli.Help = FlagValue(Take(1, true), token); break;
                case "plan": cli.Plan = FlagValue(Take(1, true), token); break;
                case "dryrun": cli.DryRun = FlagValue(Take(1, true), token); break;
                case "generateschema": cli.GenerateSchema = true; break;
                case "generateconfiguration": cli.GenerateConfiguration = true; break;
                case "nologo": Take(1, true); break;
                case "host": Take(1); break;
                case "target": cli.Targets.AddRange(SplitTargets(Take(int.MaxValue), token)); break;
                case "skip": cli.Skip = SplitTargets(Take(int.MaxValue), null).ToList(); break;
                case "profile": cli.Profiles.AddRange(NeedValue(Take(int.MaxValue), token, "--profile staging")); break;
                case "root": cli.Root = NeedValue(Take(1), token, "--root .")[0]; break;
                case "verbosity":
                    var level = NeedValue(Take(1), token, "--verbosity verbose")[0];
                    cli.Verbosity = Enum.TryParse<Verbosity>(level, true, out var v) && !int.TryParse(level, out _)
                        ? v : throw new BuildInputException($"Invalid value '{EchoedInput.Shown(level)}' for --verbosity. Valid values: quiet, minimal, normal, verbose.");
                    break;
                default:
                    // Its value is never shown, inline or the next word: a misspelt secret option is still a secret.
                    if (!byKey.TryGetValue(key, out var p))
                        throw new BuildInputException($"Unknown parameter '{EchoedInput.Shown(inline is null ? token : token[..token.IndexOf('=')])}'" +
                            $"{(inline is null ? "" : " (its value is not shown)")}.{Names.DidYouMean(name, parameters.Select(x => x.Kebab).Concat(EngineOptions.Select(o => o.Name)), "--")} Run --help for the list.");
                    // A secret's value is urlsafe base64 and may start with '-': take it whole so that it reaches the
                    // refusal, which never echoes it, rather than being parsed (and echoed) as an unknown option.
                    cli.Values[p] = p.IsSecret && inline is null && i < args.Count ? [args[i++]] : Take(p.IsArray ? int.MaxValue : 1, p.IsFlag);
                    break;
            }
        }
        return cli;
    }

    /// <summary>
    /// --root names the folder that holds .nuke/: a folder that is not there is refused, never created, and one without
    /// .nuke/ too, since none of its parameters files would apply.
    /// </summary>
    public static void CheckRoot(string root)
    {
        if (!Directory.Exists(root))
            throw new BuildInputException($"--root {root}: the folder does not exist. Point --root at the repository (the folder that holds .nuke/), or leave it out; nothing was created.");
        if (!Directory.Exists(Path.Combine(root, ".nuke")))
            throw new BuildInputException($"--root {root} holds no .nuke/ folder, so none of its parameters files (.nuke/parameters.<env>.json) would apply. Point --root at the repository (the folder that holds .nuke/), or leave it out.");
    }

    // A negative number is a value, not an option.
    static bool IsOption(string token) => token.StartsWith('-') && token.Length > 1 && !char.IsDigit(token[1]);

    static bool FlagValue(List<string> values, string option) =>
        values.Count == 0 || (bool.TryParse(values[0], out var value) ? value
            : throw new BuildInputException($"Invalid value '{EchoedInput.Shown(values[0])}' for {option.Split('=')[0]}: a flag takes true or false, or nothing (e.g. {option.Split('=')[0]} or {option.Split('=')[0]}=false)."));

    static List<string> NeedValue(List<string> values, string option, string example) =>
        values.Count > 0 && values.All(v => v.Length > 0) ? values : throw new BuildInputException($"{option} needs a value, e.g. {example}.");

    static IEnumerable<string> SplitTargets(List<string> values, string? option)
    {
        if (option is not null && values.Count == 0) throw new BuildInputException($"{option} needs a value, e.g. {option} Rotate or {option} Stop+Start.");
        return values.SelectMany(v => v.Split(['+', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
