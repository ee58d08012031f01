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
        var console = new StringWriter();
        var code = PipelineHost.Run(args, console, Root, Environment, defaultTarget, cancellation);
        return new RunResult(code, console.ToString(), TestBuild.Ran.ToList(), TestBuild.LastSummary);
    }

    public string ReadAll(string relativeFolder) =>
        string.Join("\n", Directory.EnumerateFiles(Path.Combine(Root, relativeFolder), "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose() => dir.Dispose();
}

public sealed record RunResult(int ExitCode, string Output, IReadOnlyList<string> Ran, BuildSummary? Summary)
{
    public TargetResult Result(string target) => Summary?[target] ?? throw new Xunit.Sdk.XunitException($"no summary row for {target}; output:\n{Output}");
    public TargetStatus Status(string target) => Result(target).Status;
    public string ErrorLine => Output.Split('\n').FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException("no error line in:\n" + Output);
}
