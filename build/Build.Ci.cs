using RoboDJ.Pipeline;
using RoboDJ.Pipeline.Tools;

/// <summary>The README's test command, `./build.sh Test`, which .ci/run calls after installing the real peers.</summary>
partial class Build
{
    string TestResultsDirectory => Path.Combine(TemporaryDirectory, "test-results");

    IEnumerable<string> TestProjects =>
        Directory.EnumerateFiles(Path.Combine(RootDirectory, "tests"), "*.Tests.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    Target Test => _ => _
        .Description("Build the solution, run every test project one after another, sum their results")
        .Executes(async ct =>
        {
            if (Directory.Exists(TestResultsDirectory)) Directory.Delete(TestResultsDirectory, recursive: true);
            var counts = await DotNetTest.RunAsync(Path.Combine(RootDirectory, "RoboDJ.sln"), TestProjects, TestResultsDirectory, ct);
            Note(counts.ToString());
        });
}
