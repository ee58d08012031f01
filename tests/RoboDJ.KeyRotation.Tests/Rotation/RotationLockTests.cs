using System.Text.Json;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class RotationLockTests : IDisposable
{
    readonly TempDir temp = new();
    string LockPath => temp.Combine("config", "key_rotation", "rotation.lock");
    static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);
    public void Dispose() => temp.Dispose();

    void Plant(int pid, string host, DateTimeOffset heartbeat)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, JsonSerializer.Serialize(new RotationLockInfo("bob", host, pid, "staging", heartbeat, heartbeat)));
    }

    /// <summary>
    /// A FIFO planted as the lock file or the fence held Preflight in open() for good, deaf to SIGTERM. Both Preflight's
    /// check and the taking of the lock refuse it at once, naming it and the fix.
    /// </summary>
    [Theory]
    [InlineData("rotation.lock", false)]
    [InlineData("rotation.lock", true)]
    [InlineData("rotation.fence", false)]
    [InlineData("rotation.fence", true)]
    public async Task A_fifo_planted_as_the_lock_or_the_fence_is_refused_at_once_naming_it(string name, bool take)
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = Path.Combine(Path.GetDirectoryName(LockPath)!, name);
        Directory.CreateDirectory(Path.GetDirectoryName(fifo)!);
        HostileFiles.Fifo(fifo);

        var attempt = Task.Run(() => Record.Exception(() =>
        {
            if (take) RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false).Dispose();
            else RotationLock.CheckFree(LockPath, Stale, breakLock: false, DateTimeOffset.UtcNow);
        }));
        if (await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) != attempt)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
            await attempt;
            Assert.Fail($"the lock waited on the named pipe {name}");
        }

        var error = await attempt;
        Assert.NotNull(error);
        Assert.Contains($"{fifo} is a named pipe (FIFO)", error.Message);
        Assert.Contains($"remove {fifo}", error.Message);
        Assert.Equal(Pipeline.IO.FileKind.Fifo, Pipeline.IO.FileStatus.Of(fifo).Kind);
    }

    [Fact]
    public async Task A_lock_taken_over_by_another_run_is_marked_lost_and_never_overwritten()
    {
        using var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        Plant(Environment.ProcessId + 1, "elsewhere", DateTimeOffset.UtcNow);
        var theirs = File.ReadAllText(LockPath);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!held.Lost && waited.Elapsed < RotationLock.HeartbeatInterval * 3) await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.True(held.Lost);
        Assert.Equal(theirs, File.ReadAllText(LockPath));
    }

    [Fact]
    public void A_second_rotation_fails_fast_while_the_lock_is_held()
    {
        using var first = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        var e = Assert.Throws<RotationLockHeldException>(() => RotationLock.Acquire(LockPath, "staging", "bob", Stale, breakLock: false));
        Assert.Contains(LockPath, e.Message);
        Assert.Contains("alice", e.Message);
    }

    [Fact]
    public async Task The_heartbeat_is_refreshed_while_the_lock_is_held()
    {
        using var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        var first = RotationLock.Read(LockPath)!.Heartbeat;
        await Task.Delay(RotationLock.HeartbeatInterval + TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        Assert.True(RotationLock.Read(LockPath)!.Heartbeat > first);
    }

    [Fact]
    public void Releasing_the_lock_removes_the_file()
    {
        var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        Assert.True(File.Exists(LockPath));
        held.Dispose();
        Assert.False(File.Exists(LockPath));
    }

    [Fact]
    public void A_stale_heartbeat_is_reported_and_needs_break_lock()
    {
        Plant(1, "another-host", DateTimeOffset.UtcNow.AddMinutes(-10));
        var e = Assert.Throws<StaleRotationLockException>(() => RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false));
        Assert.Contains("--break-lock", e.Message);
        using var broken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true);
        Assert.Equal("alice", RotationLock.Read(LockPath)!.Holder);
    }

    [Fact]
    public void A_fresh_lock_of_another_host_blocks_even_with_an_old_pid()
    {
        Plant(999999, "another-host", DateTimeOffset.UtcNow);
        Assert.Throws<RotationLockHeldException>(() => RotationLock.CheckFree(LockPath, Stale, breakLock: false, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_on_this_host_is_taken_over()
    {
        using var dead = System.Diagnostics.Process.Start("true")!;
        dead.WaitForExit();
        Plant(dead.Id, Environment.MachineName, DateTimeOffset.UtcNow);
        using var taken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        Assert.Equal(Environment.ProcessId, RotationLock.Read(LockPath)!.Pid);
    }

    [Fact]
    public void An_unreadable_lock_file_older_than_the_limit_names_the_file_and_the_fix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, "{broken");
        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow.AddMinutes(-10));
        var e = Assert.Throws<RotationLockCorruptException>(() => RotationLock.CheckFree(LockPath, Stale, false, DateTimeOffset.UtcNow));
        Assert.Contains(LockPath, e.Message);
        Assert.Contains("--break-lock", e.Message);
        Assert.Contains("unreadable", RotationLock.CheckFree(LockPath, Stale, true, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"holder\":\"bo")]
    public void A_fresh_empty_or_partial_lock_file_is_held_by_a_writer_not_corrupt_even_with_break_lock(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, content);
        foreach (var breakLock in new[] { false, true })
        {
            var e = Assert.Throws<RotationLockBeingWrittenException>(() => RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock));
            Assert.Contains(LockPath, e.Message);
            Assert.Contains("do not use --break-lock", e.Message);
        }
        Assert.Equal(content, File.ReadAllText(LockPath));
    }

    [Fact]
    public void A_fresh_lock_naming_a_live_process_that_does_not_hold_the_kernel_lock_needs_break_lock_and_the_message_says_so()
    {
        using var stranger = System.Diagnostics.Process.Start("sleep", "30")!;
        try
        {
            Plant(stranger.Id, Environment.MachineName, DateTimeOffset.UtcNow.AddSeconds(-3));
            var e = Assert.Throws<StaleRotationLockException>(() => RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false));
            Assert.Contains($"a live pid {stranger.Id} that does not hold the kernel lock", e.Message);
            Assert.Contains("rerun with --break-lock", e.Message);
            Assert.Equal(stranger.Id, RotationLock.Read(LockPath)!.Pid);

            using var taken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true);
            Assert.Equal("alice", RotationLock.Read(LockPath)!.Holder);
            Assert.Contains("does not hold the kernel lock", taken.TakenOverBecause);
        }
        finally { stranger.Kill(); }
    }

    // Issue 19, "Also": pid 1 lives on every host, and a heartbeat in the future never ages.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_lock_with_a_heartbeat_in_the_future_has_a_way_out_that_the_message_names(bool thisHost)
    {
        Plant(1, thisHost ? Environment.MachineName : "another-host", DateTimeOffset.UtcNow.AddDays(1));
        var e = Assert.Throws<StaleRotationLockException>(() => RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false));
        Assert.Contains(thisHost ? "a live pid 1 that does not hold the kernel lock" : "in the future", e.Message);
        Assert.Contains("rerun with --break-lock", e.Message);
        using var taken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true);
        Assert.Equal(Environment.ProcessId, RotationLock.Read(LockPath)!.Pid);
    }

    [Fact]
    public void A_live_holder_keeps_its_lock_past_the_stale_limit_even_against_break_lock_because_it_holds_the_kernel_lock()
    {
        using var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        // What a SIGSTOP of 10 minutes leaves: the heartbeat stops ageing in the file.
        var info = RotationLock.Read(LockPath)!;
        File.WriteAllText(LockPath, JsonSerializer.Serialize(info with { Heartbeat = DateTimeOffset.UtcNow.AddMinutes(-10) }));

        var e = Assert.Throws<RotationLockHeldException>(() => RotationLock.Acquire(LockPath, "staging", "bob", Stale, breakLock: true));
        Assert.Contains("holds the kernel lock", e.Message);
        Assert.Contains($"kill -CONT {Environment.ProcessId}", e.Message);
        Assert.Throws<RotationLockHeldException>(() => RotationLock.CheckFree(LockPath, Stale, breakLock: true, DateTimeOffset.UtcNow));
        Assert.Equal("alice", RotationLock.Read(LockPath)!.Holder);
    }

    [Fact]
    public void Each_lock_gets_a_fencing_token_one_above_the_last_one_issued_in_its_folder()
    {
        var tokens = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
            tokens.Add(held.Token);
            Assert.Equal(held.Token, RotationLock.Read(LockPath)!.Token);
        }
        Assert.Equal([1L, 2L, 3L], tokens);
    }

    [Fact]
    public void A_holder_whose_lock_was_taken_over_is_fenced_before_its_next_write_and_the_file_keeps_its_old_bytes()
    {
        using var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false);
        var field = temp.Combine("config", "settings.json");
        File.WriteAllText(field, "before");
        using (RoboDJ.Pipeline.IO.WriteFence.Enter(held)) RoboDJ.Pipeline.IO.AtomicFile.WriteAllText(field, "under the lock");
        Plant(4242, "another-host", DateTimeOffset.UtcNow); // another run took the lock over (its token differs)

        using (RoboDJ.Pipeline.IO.WriteFence.Enter(held))
        {
            var e = Assert.Throws<RotationLockLostException>(() => RoboDJ.Pipeline.IO.AtomicFile.WriteAllText(field, "after the takeover"));
            Assert.Contains($"fencing token {held.Token}", e.Message);
            Assert.Contains("bob on another-host (pid 4242)", e.Message);
            Assert.Contains(field, e.Message);
        }
        Assert.True(held.Lost);
        Assert.Equal("under the lock", File.ReadAllText(field));
        Assert.Empty(RoboDJ.Pipeline.IO.TempFileName.LeftIn(Path.GetDirectoryName(field)!, recursive: false));
    }

    [Fact]
    public void A_lock_that_created_its_folder_removes_it_when_released_with_nothing_else_in_it()
    {
        var folder = Path.GetDirectoryName(LockPath)!;
        RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false, removeFolderWhenLeftEmpty: true).Dispose();
        Assert.False(Directory.Exists(folder));

        using (var held = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false, removeFolderWhenLeftEmpty: true))
            File.WriteAllText(Path.Combine(folder, "journal.jsonl"), "{}\n");
        Assert.True(File.Exists(Path.Combine(folder, "journal.jsonl")));
        Assert.True(File.Exists(RotationLock.KernelLockPath(LockPath)));
    }

    // On another host the kernel lock may not reach (a shared tree on a network file system): the heartbeat decides.
    [Fact]
    public void Break_lock_takes_a_stale_heartbeat_of_another_host_and_says_why()
    {
        Plant(4242, "another-host", DateTimeOffset.UtcNow.AddMinutes(-10));
        var reason = RotationLock.CheckFree(LockPath, Stale, breakLock: true, DateTimeOffset.UtcNow);
        Assert.Contains("heartbeat", reason);
        Assert.Contains("over the 120 s limit", reason);
        using var taken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true);
        Assert.Equal("alice", RotationLock.Read(LockPath)!.Holder);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LockPath)!, "*.broken-*"));
    }

    [Fact]
    public void Of_many_runs_racing_for_the_lock_exactly_one_wins()
    {
        var results = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(i =>
        {
            try { return (RotationLock?)RotationLock.Acquire(LockPath, "staging", $"run{i}", Stale, breakLock: true); }
            catch (Exception e) when (e is RotationLockHeldException or RotationLockBeingWrittenException) { return null; }
        }).ToList();
        var winners = results.OfType<RotationLock>().ToList();
        Assert.Single(winners);
        winners[0].Dispose();
    }

    [Fact]
    public async Task The_lock_file_is_never_readable_empty_or_partial_while_it_is_taken()
    {
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var text = File.ReadAllText(LockPath);
                    try { JsonSerializer.Deserialize<RotationLockInfo>(text); }
                    catch (JsonException) { lock (seen) seen.Add(text); }
                }
                catch (IOException) { }
            }
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 300; i++) RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: false).Dispose();
        stop.Cancel();
        await reader;
        Assert.Empty(seen);
    }
}
