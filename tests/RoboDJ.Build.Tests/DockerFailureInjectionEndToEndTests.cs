using RoboDJ.Build.Tests.PythonReference;
using System.Diagnostics;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The failure-injection matrix on the docker runtime (see <see cref="FailureInjectionMatrixEndToEndTests"/>): SIGKILL,
/// SIGTERM or Ctrl-C twice right after each journal line. Rollback by hand finishes whatever the build left open; then every field,
/// one in config/logs/ among them, opens in the independent census and the service runs again.
/// </summary>
public sealed class DockerFailureInjectionEndToEndTests
{
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var signal in new[] { "KILL", "TERM", "INT-INT" })
            foreach (var step in Enumerable.Range(1, 13)) cases.Add(signal, step);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_signal_after_any_journal_line_loses_no_field_on_docker(string signal, int step)
    {
        using var site = DockerSite.Create();
        using var build = new BuildProcess();
        var keyRotation = new DeploymentPaths(site.Root).KeyRotation;
        var fields = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).UnderRing;
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1" };
        hooks[signal == "KILL" ? "ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP" : "ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = step.ToString();

        var interrupted = await build.RunAsync(site.Args("Rotate"), hooks, TimeSpan.FromMinutes(5), async process =>
        {
            if (signal == "KILL") return;
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(keyRotation) is { } j && j.Entries.Count >= step)) return;
            foreach (var name in signal.Split('-'))
            {
                using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString()])!;
                await kill.WaitForExitAsync();
                await Task.Delay(300);
            }
        });

        // The signal must have met a rotation in progress, or this case proves nothing.
        Assert.True(RotationJournal.FindLatest(keyRotation) is { } journal && journal.Entries.Count >= step, interrupted.ToString());
        if (RotationJournal.FindUnfinished(keyRotation) is not null)
        {
            var rollback = await build.RunAsync(site.Args("Rollback"), timeout: TimeSpan.FromMinutes(5));
            Assert.True(rollback.ExitCode == 0, $"interrupted: {interrupted}\n\nrollback: {rollback}");
        }

        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.True(census.Undecryptable.Count == 0, $"{census.Undecryptable.Count} field(s) lost: {string.Join(", ", census.Undecryptable)}\n{interrupted}");
        Assert.Equal(fields, census.UnderRing);
        Assert.Null(RotationJournal.FindUnfinished(keyRotation));
        Assert.Equal(1, site.RunningContainers());
        Canary.AssertAbsent(interrupted.Output, [site.V1.Text, site.V2.Text], "the interrupted build's output");
    }
}
