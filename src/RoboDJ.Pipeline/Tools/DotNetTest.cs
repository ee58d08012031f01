using System.Diagnostics;
using System.Xml.Linq;

namespace RoboDJ.Pipeline.Tools;

/// <summary>Runs `dotnet build` and `dotnet test`, one test project after another, and sums their TRX results.</summary>
public static class DotNetTest
{
    /// <summary>Ten times the longest test seen (a swarm rotation under load, about a minute).</summary>
    const string HangTimeout = "10m";

    /// <param name="filter">A `dotnet test --filter` expression; every test when null.</param>
    public static async Task<TestCounts> RunAsync(string solution, IEnumerable<string> testProjects, string resultsDirectory, CancellationToken cancellationToken,
        string? filter = null)
    {
        Directory.CreateDirectory(resultsDirectory);
        await DotNetAsync(["build", solution, "--nologo", "-v", "quiet", "-clp:NoSummary"], cancellationToken);
        var failedProjects = new List<string>();
        foreach (var project in testProjects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var exit = await DotNetAsync(["test", project, "--no-build", "--nologo",
                "--logger", $"trx;LogFileName={name}.trx", "--logger", "console;verbosity=normal",
                "--results-directory", resultsDirectory,
                // A test that hangs ends its project's run with its name printed, instead of stalling CI to its time limit.
                "--blame-hang", "--blame-hang-timeout", HangTimeout, "--blame-hang-dump-type", "none",
                .. filter is null ? Array.Empty<string>() : ["--filter", filter]], cancellationToken, throwOnFailure: false);
            if (exit != 0) failedProjects.Add(name);
        }
        var counts = TestCounts.FromTrxFiles(Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories));
        if (failedProjects.Count > 0 || counts.Failed > 0 || counts.Total == 0)
            throw new TestsFailedException(counts, failedProjects);
        return counts;
    }

    static async Task<int> DotNetAsync(string[] args, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try { await process.WaitForExitAsync(cancellationToken); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        if (throwOnFailure && process.ExitCode != 0)
            throw new InvalidOperationException($"`dotnet {string.Join(' ', args)}` exited with {process.ExitCode}; see its output above.");
        return process.ExitCode;
    }
}

public sealed record TestCounts(int Passed, int Failed, int Skipped, int Total)
{
    static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static TestCounts FromTrxFiles(IEnumerable<string> trxFiles)
    {
        int passed = 0, failed = 0, total = 0;
        foreach (var file in trxFiles)
        {
            var counters = XDocument.Load(file).Root?.Element(Trx + "ResultSummary")?.Element(Trx + "Counters");
            if (counters is null) continue;
            int Count(string name) => int.TryParse((string?)counters.Attribute(name), out var n) ? n : 0;
            passed += Count("passed");
            failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
            total += Count("total");
        }
        return new TestCounts(passed, failed, total - passed - failed, total);
    }

    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";
}

public sealed class TestsFailedException(TestCounts counts, IReadOnlyList<string> failedProjects)
    : Exception(counts.Total == 0
        ? "No test ran: no TRX results were written. Check the test projects build and are discovered."
        : $"{counts}" + (failedProjects.Count > 0 ? $" (failing: {string.Join(", ", failedProjects)})" : ""))
{
    public TestCounts Counts { get; } = counts;
}
