using System.Text.RegularExpressions;
using RoboDJ.KeyRotation.Config;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// The fleet file (YAML): the hosts whose deployments share one config tree and one key pair, in rollout order. Roots
/// are relative to the file's folder, a host's startup log, launcher, pid file and launcher log relative to its root.
/// Every problem is a <see cref="FleetFileException"/> naming the file and the line; reading it changes nothing.
/// </summary>
/// <example>
/// hosts:
///   - name: studio-a
///     runner: robodj-studio-a
///     root: /srv/robodj
///     dashboard: http://127.0.0.1:8080/
///     startup_log: config/logs/studio-a/startup_safety_events.jsonl
/// </example>
public sealed partial class FleetFile
{
    static readonly string[] Required = ["name", "runner", "root", "dashboard", "startup_log"];
    static readonly string[] Optional = ["launcher", "process_name", "pid_file", "launcher_log"];

    FleetFile(string path, IReadOnlyList<FleetHost> hosts) { Path = path; Hosts = hosts; }

    public string Path { get; }
    public IReadOnlyList<FleetHost> Hosts { get; }

    public FleetHost Host(string name) => Hosts.FirstOrDefault(h => h.Name == name) ?? throw new UnknownFleetHostException(Path, name, Hosts.Select(h => h.Name));

    /// <summary>Reads and checks the file; <paramref name="defaults"/> gives the desktop settings a host does not set.</summary>
    public static FleetFile Load(string path, FleetHostDefaults? defaults = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!FileStatus.Of(path).Exists) throw new FleetFileException(path, 0, "the fleet file does not exist", "pass --fleet with the path of the fleet file (see docs/fleet.md for its format)");
        byte[] bytes;
        try { bytes = InputFile.ReadAllBytes(path, InputLimits.FleetFileBytes); }
        catch (InputFileException e) { throw new FleetFileException(path, 0, e.Problem, e.Fix); }
        var text = Utf8Text.Decode(bytes, (line, column) => new FleetFileException(path, line, $"column {column}: a byte that is not UTF-8", "save the file as UTF-8"));
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(text)));
        try { stream.Load(parser); }
        catch (YamlException e)
        {
            throw new FleetFileException(path, (int)e.Start.Line, $"not valid YAML ({FirstLine(e.Message)})", "fix the YAML at that line (indentation, a missing ':' or quote)");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's loader throws these, with no position, on some broken documents: the parser knows where it was.
            throw new FleetFileException(path, (int)(parser.Previous?.Start.Line ?? parser.Current?.Start.Line ?? 1), "not valid YAML (a node the YAML reader cannot build: a stray '?', '-' or ':', or an undefined tag)",
                "fix the YAML at that line or just above it (indentation, a missing ':' or quote, a stray character)");
        }
        if (stream.Documents.Count == 0)
            throw new FleetFileException(path, 1, "the file is empty: `hosts:` is missing or empty", "list every host under `hosts:`, one `- name: ...` entry each");
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode top)
            throw new FleetFileException(path, 1, "the file is not one YAML mapping", "start the file with `hosts:` followed by one `- name: ...` entry per host");
        RefuseUnknownKeys(path, top, ["hosts"]);
        if (!top.Children.TryGetValue(new YamlScalarNode("hosts"), out var hostsNode) || hostsNode is not YamlSequenceNode { Children.Count: > 0 } list)
            throw new FleetFileException(path, Line(top), "`hosts:` is missing or empty", "list every host under `hosts:`, one `- name: ...` entry each");

        var folder = System.IO.Path.GetDirectoryName(path)!;
        var hosts = list.Children.Select(node => ReadHost(path, folder, node, defaults)).ToList();
        RefuseDuplicates(path, hosts, h => h.Name, "name", "give each host its own name");
        RefuseDuplicates(path, hosts, h => h.Root, "root", "give each host its own deployment root (its own .env and app)");
        RefuseDuplicates(path, hosts, h => h.Dashboard.Authority, "dashboard", "give each host its own dashboard port");
        RefuseDuplicates(path, hosts, h => h.StartupLog, "startup_log", "give each host its own startup log, so a key check names its host");
        return new FleetFile(path, hosts);
    }

    static FleetHost ReadHost(string file, string folder, YamlNode node, FleetHostDefaults? defaults)
    {
        if (node is not YamlMappingNode map)
            throw new FleetFileException(file, Line(node), "a host entry is not a mapping", "write each host as `- name: ...` with its keys indented below it");
        RefuseUnknownKeys(file, map, [.. Required, .. Optional]);
        foreach (var key in Required)
            if (Scalar(file, map, key) is null)
                throw new FleetFileException(file, Line(map), $"the host entry has no `{key}`", $"add `{key}: ...` to it ({Explain(key)})");
        var name = Scalar(file, map, "name")!.Value;
        if (!HostName().IsMatch(name.Value))
            throw new FleetFileException(file, name.Line, $"host name '{name.Value}' is not a plain name", "use letters, digits, '-', '_' or '.' (it names a GitHub Actions matrix job)");
        var root = System.IO.Path.GetFullPath(Scalar(file, map, "root")!.Value.Value, folder);
        var dashboard = Dashboard(file, Scalar(file, map, "dashboard")!.Value);
        defaults ??= new FleetHostDefaults();
        string? Relative(string key, string? fallback = null) =>
            Scalar(file, map, key) is { } s ? System.IO.Path.GetFullPath(s.Value, root) : fallback is null ? null : System.IO.Path.GetFullPath(fallback, root);
        return new FleetHost(name.Value, Scalar(file, map, "runner")!.Value.Value, root, dashboard, Relative("startup_log")!)
        {
            Line = Line(map),
            Launcher = Relative("launcher", defaults.Launcher)!,
            ProcessName = Scalar(file, map, "process_name")?.Value ?? defaults.ProcessName,
            PidFile = Relative("pid_file", defaults.PidFile),
            LauncherLog = Relative("launcher_log", defaults.LauncherLog),
        };
    }

    static Uri Dashboard(string file, (string Value, int Line) text)
    {
        // Checked first, since the other messages quote the value.
        if (UrlUserInfo.IsIn(text.Value))
            throw new FleetFileException(file, text.Line, "dashboard carries user info (user:password@), a credential in plain text, so it is refused",
                "write it as http://127.0.0.1:<port>/ and give the password as DASHBOARD_PASSWORD");
        if (!Uri.TryCreate(text.Value, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
            throw new FleetFileException(file, text.Line, $"dashboard '{text.Value}' is not an http:// URL", "write it as http://127.0.0.1:<port>/");
        if (url.Host != "127.0.0.1")
            throw new FleetFileException(file, text.Line, $"dashboard '{text.Value}' is not on 127.0.0.1; the pipeline talks only to 127.0.0.1",
                "run each host's job on that host (its runner label) and give its dashboard as http://127.0.0.1:<port>/");
        return url;
    }

    static (string Value, int Line)? Scalar(string file, YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var value)) return null;
        if (value is not YamlScalarNode { Value: { Length: > 0 } text } || string.IsNullOrWhiteSpace(text))
            throw new FleetFileException(file, Line(value), $"`{key}` is empty or not a single value", $"give `{key}` one value ({Explain(key)})");
        return (text.Trim(), Line(value));
    }

    static void RefuseUnknownKeys(string file, YamlMappingNode map, IReadOnlyList<string> known)
    {
        foreach (var key in map.Children.Keys)
            if (key is not YamlScalarNode { Value: { } name } || !known.Contains(name))
                throw new FleetFileException(file, Line(key), $"unknown key `{(key as YamlScalarNode)?.Value ?? key.ToString()}`", $"use only {string.Join(", ", known.Select(k => $"`{k}`"))}");
    }

    static void RefuseDuplicates(string file, IReadOnlyList<FleetHost> hosts, Func<FleetHost, string> key, string what, string fix)
    {
        var seen = new Dictionary<string, FleetHost>(StringComparer.Ordinal);
        foreach (var host in hosts)
            if (!seen.TryAdd(key(host), host))
                throw new FleetFileException(file, host.Line, $"host '{host.Name}' has the same {what} as host '{seen[key(host)].Name}' (line {seen[key(host)].Line})", fix);
    }

    static string Explain(string key) => key switch
    {
        "name" => "the host's name, e.g. studio-a",
        "runner" => "the self-hosted runner label of that host",
        "root" => "the host's deployment root, which holds its .env",
        "dashboard" => "e.g. http://127.0.0.1:8080/",
        "startup_log" => "relative to the root, e.g. config/logs/studio-a/startup_safety_events.jsonl",
        _ => "see docs/fleet.md",
    };

    static int Line(YamlNode node) => (int)node.Start.Line;

    static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HostName();

    /// <summary>Remembers the event before the current one: where the loader was when it gave up.</summary>
    sealed class PositionTrackingParser(IParser inner) : IParser
    {
        public ParsingEvent? Previous { get; private set; }
        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            Previous = inner.Current;
            return inner.MoveNext();
        }
    }
}
