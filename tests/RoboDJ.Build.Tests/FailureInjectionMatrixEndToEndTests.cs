using RoboDJ.Build.Tests.PythonReference;
using System.Text;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// DESIGN.md §6 "nothing is lost", tried the way a crash or an impatient operator would: the build is paused right
/// after its n-th journal line and gets SIGTERM, or Ctrl-C twice (the second one kills it). Whatever the build then
/// did by itself, Rollback by hand must be able to finish the job, and an independent census (python's MultiFernet
/// over python-dotenv's reading of .env) must open every field, including one in config/logs/. docs/reliability.md
/// records the matrix.
/// </summary>
public sealed class FailureInjectionMatrixEndToEndTests
{
    // Begin, then start/end of Snapshot, SaveBeforeStop (the app's save), Stop, Shift, Rewrap (only the logs/ file the
    // app's save skips), Start and Verify: 15 lines.
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var signal in new[] { "TERM", "INT-INT" })
            foreach (var step in Enumerable.Range(1, 15)) cases.Add(signal, step);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_signal_after_any_journal_line_loses_no_field(string signal, int step)
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        string[] Args(string target) => [target, "--env", "sandbox", "--deployment-root", site.Root];
        var keys = await site.KeysAsync();
        File.WriteAllText(Path.Combine(site.Paths.Config, "logs", "app_state.json"),
            $"{{\"cached\": {{\"stream_key\": \"{FernetToken.Encrypt(keys.Primary!, Encoding.UTF8.GetBytes("rtmp-key"))}\"}}}}");
        var fields = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation).UnderRing;
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = step.ToString() };

        var interrupted = await build.RunAsync(Args("Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindLatest(site.Paths.KeyRotation) is { } j && j.Entries.Count >= step)) return;
            foreach (var name in signal.Split('-'))
            {
                using var kill = System.Diagnostics.Process.Start("kill", [$"-{name}", process.Id.ToString()])!;
                await kill.WaitForExitAsync();
                await Task.Delay(300);
            }
        });

        // The signal must have met a rotation in progress, or this case proves nothing.
        Assert.True(RotationJournal.FindLatest(site.Paths.KeyRotation) is { } journal && journal.Entries.Count >= step, interrupted.ToString());
        // Whatever the interrupted build left open, Rollback by hand closes it.
        if (RotationJournal.FindUnfinished(site.Paths.KeyRotation) is not null)
        {
            var rollback = await build.RunAsync(Args("Rollback"));
            Assert.True(rollback.ExitCode == 0, $"interrupted: {interrupted}\n\nrollback: {rollback}");
        }

        var census = PythonReferencePeer.Census(site.Root, PythonCensusScope.Rotation);
        Assert.True(census.Undecryptable.Count == 0, $"{census.Undecryptable.Count} field(s) lost: {string.Join(", ", census.Undecryptable)}\n{interrupted}");
        Assert.Equal(fields, census.UnderRing);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        Assert.True(await site.IsRunningAsync(), interrupted.ToString());
        Canary.AssertAbsent(interrupted.Output, site.Canaries.Concat([keys.Primary!.Text]).ToList(), "the interrupted build's output");
    }
}
