using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests.Support;

/// <summary>A build root in a temp folder (with .nuke/), an environment of its own, and in-process runs.</summary>
public sealed class Harness : IDisposable
{
    readonly TempDir dir = new("robodj-engine");

    public Harness() => Directory.CreateDirectory(Path.Combine(Root, ".nuke"));

    public string Root => dir.Path;
    public Dictionary<string, string> Environment { get; } = [];

    public Harness WithFile(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public Harness WithEnvironment(string name, string value)
    {
        Environment[name] = value;
        return this;
    }

    public RunResult Run<T>(params string[] args) where T : TestBuild, new() => Run<T>(null, default, args);

    public RunResult Run<T>(Func<T, Target>? defaultTarget, CancellationToken cancellation, params string[] args) where T : TestBuild, new()
    {
        TestBuild.Ran.Clear();
        TestBuild.LastSummary = null;
        var both = new System.Text.StringBuilder();
        using var stdout = new Recorder(both);
        using var stderr = new Recorder(both);
        var code = PipelineHost.Run(args, stdout, Root, Environment, defaultTarget, cancellation, errorConsole: stderr);
        return new RunResult(code, both.ToString(), TestBuild.Ran.ToList(), TestBuild.LastSummary) { Stdout = stdout.ToString(), Stderr = stderr.ToString() };
    }

    /// <summary>One stream's text, also appended to the text of both in the order written (as a terminal shows them).</summary>
    sealed class Recorder(System.Text.StringBuilder both) : TextWriter
    {
        readonly System.Text.StringBuilder own = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        // TextWriter funnels every other Write and WriteLine into this one.
        public override void Write(char value)
        {
            own.Append(value);
            lock (both) both.Append(value);
        }

        public override string ToString() => own.ToString();
    }

    public string ReadAll(string relativeFolder) =>
        string.Join("\n", Directory.EnumerateFiles(Path.Combine(Root, relativeFolder), "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose() => dir.Dispose();
}

/// <param name="Output">Stdout and stderr together, in the order written.</param>
public sealed record RunResult(int ExitCode, string Output, IReadOnlyList<string> Ran, BuildSummary? Summary)
{
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public TargetResult Result(string target) => Summary?[target] ?? throw new Xunit.Sdk.XunitException($"no summary row for {target}; output:\n{Output}");
    public TargetStatus Status(string target) => Result(target).Status;
    public string ErrorLine => Output.Split('\n').FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException("no error line in:\n" + Output);
}
