using System.Diagnostics;
using RoboDJ.Pipeline;

/// <summary>
/// The README's test command (`./build.sh Test`), which .ci/run and ci.yml call: every test project of the solution, with
/// TRX results in .nuke/temp/test-results for .ci/run's "N passed, N failed" line.
/// </summary>
partial class Build
{
    Target Test => _ => _
        .Description("Build and test the solution; TRX results in .nuke/temp/test-results")
        .Executes(async ct =>
        {
            var results = Path.Combine(TemporaryDirectory, "test-results");
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RootDirectory };
            foreach (var arg in new[] { "test", Path.Combine(RootDirectory, "RoboDJ.sln"), "--logger", "trx", "--results-directory", results })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
            try { await process.WaitForExitAsync(ct); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet test failed (exit {process.ExitCode}); results in {results}");
            Note($"all tests passed; results in {Path.GetRelativePath(RootDirectory, results)}");
        });
}
