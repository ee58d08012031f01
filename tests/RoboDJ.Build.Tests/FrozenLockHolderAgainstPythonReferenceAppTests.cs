using System.Diagnostics;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 25, "a frozen holder keeps writing after its lock was taken over", against the Python reference app: the
/// rotating build is SIGSTOPped past the 2-minute heartbeat limit (its heartbeat aged in the lock file, as two minutes
/// of SIGSTOP leave it), a second operator runs Resume or Rollback with --break-lock, and the first is SIGCONTed.
/// On one host the frozen holder keeps its kernel lock, so the takeover is refused and the first run finishes. Where the
/// kernel lock does not reach (its file replaced, as on a shared tree whose file system does not carry flock), the
/// takeover goes through and the fencing token stops the first run before its next write. Each case ends with the
/// independent census (python-dotenv, MultiFernet) and a key scan of every output.
/// </summary>
public sealed class FrozenLockHolderAgainstPythonReferenceAppTests
{
    const int ShiftEnded = 7, RewrapStarted = 8; // offline: Begin, Snapshot s/e, Stop s/e, Shift s/e, Rewrap s/e, Start s/e, Verify s/e

    [Fact]
    public async Task A_holder_frozen_after_its_key_shift_keeps_its_lock_against_Resume_with_break_lock_and_finishes_on_SIGCONT()
    {
        await using var site = await PythonSite.CreateAsync();
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? resume = null;

        var rotation = await rotating.RunAsync(Offline(site, "Rotate"), PauseAfter(ShiftEnded), timeout: TimeSpan.FromMinutes(6),
            during: process => WhileFrozenAsync(site, process, ShiftEnded, async () => resume = await second.RunAsync([.. site.BuildArgs("Resume"), "--break-lock"])));

        Assert.True(resume is not null, $"the rotation ended before its shift:\n{rotation}");
        Assert.True(resume.ExitCode == 3, resume.ToString());
        Assert.Contains("holds the kernel lock", resume.Output);
        Assert.Contains($"kill -CONT {rotation.Pid}", resume.Output);
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        await AssertRotatedOnceWithNoFieldLostAsync(site, PythonSite.FieldCount);
        Canary.AssertAbsent(rotation.Output + resume.Output, site.Canaries.Append((await site.KeysAsync()).Primary!.Text), "the builds' output");
    }

    [Fact]
    public async Task A_holder_frozen_as_its_rewrap_of_3000_fields_starts_keeps_its_lock_against_Rollback_with_break_lock_and_loses_no_field()
    {
        await using var site = await PythonSite.CreateAsync(start: false);
        var added = site.AddConfigFiles(files: 300, fieldsEach: 10);
        await site.StartAsync();
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? rollback = null;

        var rotation = await rotating.RunAsync(Offline(site, "Rotate"), PauseAfter(RewrapStarted), timeout: TimeSpan.FromMinutes(6),
            during: process => WhileFrozenAsync(site, process, RewrapStarted, async () => rollback = await second.RunAsync([.. site.BuildArgs("Rollback"), "--break-lock"])));

        Assert.True(rollback is not null, $"the rotation ended before its rewrap:\n{rotation}");
        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        Assert.Contains("holds the kernel lock", rollback.Output);
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        Assert.DoesNotContain(RotationJournal.FindLatest(site.Paths.KeyRotation)!.Entries, e => e.Step == RotationStep.Rollback);
        await AssertRotatedOnceWithNoFieldLostAsync(site, PythonSite.FieldCount + added);
        Canary.AssertAbsent(rotation.Output + rollback.Output, site.Canaries.Append((await site.KeysAsync()).Primary!.Text), "the builds' output");
    }

    // The kernel lock's file replaced while the holder is frozen: a second run can take a kernel lock on the new file,
    // as on a shared tree where flock does not reach the other host. Only the fencing token is left to stop the first.
    [Fact]
    public async Task Where_the_kernel_lock_does_not_reach_a_holder_taken_over_while_frozen_is_fenced_before_its_next_write_and_journals_what_it_did()
    {
        await using var site = await PythonSite.CreateAsync(start: false);
        var added = site.AddConfigFiles(files: 300, fieldsEach: 10);
        await site.StartAsync();
        var original = site.KeyAndConfigHashes();
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? rollback = null;
        long frozenToken = 0;

        var rotation = await rotating.RunAsync(Offline(site, "Rotate"), PauseAfter(RewrapStarted), timeout: TimeSpan.FromMinutes(6),
            during: process => WhileFrozenAsync(site, process, RewrapStarted, async () =>
            {
                frozenToken = RotationLock.Read(site.Paths.RotationLock)!.Token;
                File.Delete(RotationLock.KernelLockPath(site.Paths.RotationLock));
                rollback = await second.RunAsync([.. site.BuildArgs("Rollback"), "--break-lock"]);
            }));

        Assert.True(rollback is not null, $"the rotation ended before its rewrap:\n{rotation}");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("does not hold the kernel lock", rollback.Output);
        Assert.True(rotation.ExitCode == 1, rotation.ToString());
        Assert.Contains($"this run's rotation lock (fencing token {frozenToken}) was taken over while it was paused", rotation.Output);
        Assert.DoesNotContain("ROLLBACK FAILED", rotation.Output);
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
        var entries = journal.Entries.ToList();
        var fenced = Assert.Single(entries, e => e.Fact(JournalFacts.Fenced) is not null);
        Assert.Equal((RotationStep.Rewrap, StepPhase.Failed, frozenToken), (fenced.Step, fenced.Phase, fenced.LockToken));
        Assert.Contains("this run ended Snapshot, Stop, Shift;", fenced.Fact(JournalFacts.Fenced));
        Assert.Contains(entries, e => e.Step == RotationStep.RolledBack && e.LockToken > frozenToken);
        Assert.DoesNotContain(entries.Skip(entries.IndexOf(fenced) + 1), e => e.LockToken == frozenToken);
        // The rollback's bytes stand: the fenced run rewrapped no file under its key, which is on no disk.
        Assert.Equal(original, site.KeyAndConfigHashes());
        var census = site.PythonCensus();
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((PythonSite.FieldCount + added, PythonSite.FieldCount + added), (census.Fields, census.UnderRing));
        Assert.Empty(census.Undecryptable);
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(site.V1.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
        Canary.AssertAbsent(rotation.Output + rollback.Output, site.Canaries, "the builds' output");
    }

    // Issue 19, "Also": pid 1 lives on every host and a heartbeat in the future never grows stale, so such a lock could
    // never be broken. The kernel lock proves pid 1 is no rotation: --break-lock is the way out, and the message says so.
    [Fact]
    public async Task A_lock_naming_pid_1_with_a_heartbeat_in_the_future_is_refused_naming_break_lock_which_then_takes_it()
    {
        await using var site = await PythonSite.CreateAsync();
        using var build = new BuildProcess();
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        Directory.CreateDirectory(site.Paths.KeyRotation);
        File.WriteAllText(site.Paths.RotationLock, JsonSerializer.Serialize(new RotationLockInfo("mallory", Environment.MachineName, 1, "sandbox", tomorrow, tomorrow)));
        var before = TreeState.Of(site.Root, except: "config/logs");

        var refused = await build.RunAsync(site.BuildArgs("Rotate"));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("a live pid 1 that does not hold the kernel lock", refused.Output);
        Assert.Contains("rerun with --break-lock", refused.Output);
        TreeState.AssertUnchanged(before, site.Root, "config/logs");

        var taken = await build.RunAsync([.. site.BuildArgs("Rotate"), "--break-lock"]);

        Assert.True(taken.ExitCode == 0, taken.ToString());
        Assert.Contains("Took over the stale rotation lock", taken.Output);
        await AssertRotatedOnceWithNoFieldLostAsync(site, PythonSite.FieldCount);
        Canary.AssertAbsent(refused.Output + taken.Output, site.Canaries.Append((await site.KeysAsync()).Primary!.Text), "the builds' output");
    }

    static string[] Offline(PythonSite site, string target) => [.. site.BuildArgs(target), "--rewrap-by", "offline"];

    static Dictionary<string, string> PauseAfter(int line) => new() { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = line.ToString() };

    /// <summary>Once the journal holds <paramref name="line"/> lines (the build sleeps there for 5 s), the second operator acts while the build is frozen.</summary>
    static async Task WhileFrozenAsync(PythonSite site, Process build, int line, Func<Task> secondOperator)
    {
        if (await BuildProcess.UntilAsync(build, () => site.JournalLines() >= line))
            await FrozenHolder.WhileFrozenAsync(build, site.Paths.RotationLock, secondOperator);
    }

    /// <summary>One rotation, finished: V2 is the old V1, every field opens with the new V1 alone, the app passed with it.</summary>
    static async Task AssertRotatedOnceWithNoFieldLostAsync(PythonSite site, int fields)
    {
        var keys = await site.KeysAsync();
        Assert.Equal(site.V1, keys.Secondary);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        var census = site.PythonCensus();
        Assert.Equal((keys.Primary!.Fingerprint.Hex, site.V1.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((fields, fields), (census.Fields, census.UnderV1Alone));
        Assert.Empty(census.Undecryptable);
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(keys.Primary.Fingerprint.Hex, site.LastPass().GetProperty("v1").GetString());
    }
}
