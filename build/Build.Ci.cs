using RoboDJ.Pipeline;
using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Pipeline.Tools;

/// <summary>The README's test command, `./build.sh Test`, which .ci/run calls after installing the real peers.</summary>
// ci.yml's second job: the desktop runtime and the atomic writer natively on Windows, through build.cmd from cmd.exe as an
// operator there runs it (the whole pipeline on Windows is proven under Wine on Linux: tests/RoboDJ.Build.Tests/Windows/).
[GitHubActionsRunnerJob("ci", "windows", DisplayName = "Windows: desktop runtime and atomic writes", RunsOn = "windows-latest", Shell = "cmd",
    Commands = ["build.cmd Test --test-filter \"" + WindowsTests + "\""])]
partial class Build
{
    const string WindowsTests = "FullyQualifiedName~DesktopRuntime|FullyQualifiedName~ProcessOrigin|FullyQualifiedName~ProcessTable" +
        "|FullyQualifiedName~PortHolder|FullyQualifiedName~LauncherCheck|FullyQualifiedName~AtomicFile";

    [Parameter("Test: run only the tests this `dotnet test --filter` expression selects (e.g. FullyQualifiedName~AtomicFile)")]
    readonly string? TestFilter;

    string TestResultsDirectory => Path.Combine(TemporaryDirectory, "test-results");

    IEnumerable<string> TestProjects =>
        Directory.EnumerateFiles(Path.Combine(RootDirectory, "tests"), "*.Tests.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    Target Test => _ => _
        .Description("Build the solution, run every test project one after another, sum their results")
        .Executes(async ct =>
        {
            if (Directory.Exists(TestResultsDirectory)) Directory.Delete(TestResultsDirectory, recursive: true);
            var counts = await DotNetTest.RunAsync(Path.Combine(RootDirectory, "RoboDJ.sln"), TestProjects, TestResultsDirectory, ct, TestFilter);
            Note(counts.ToString());
        });
}
