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
    public void A_fresh_lock_of_a_live_process_on_this_host_is_refused_even_with_break_lock()
    {
        using var holder = System.Diagnostics.Process.Start("sleep", "30")!;
        try
        {
            Plant(holder.Id, Environment.MachineName, DateTimeOffset.UtcNow.AddSeconds(-3));
            var e = Assert.Throws<RotationLockHeldException>(() => RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true));
            Assert.Contains("bob", e.Message);
            Assert.Contains($"pid {holder.Id}", e.Message);
            Assert.Matches(@"heartbeat [34] s old", e.Message);
            Assert.Contains("--break-lock takes only a stale lock", e.Message);
            Assert.Equal(holder.Id, RotationLock.Read(LockPath)!.Pid);
        }
        finally { holder.Kill(); }
    }

    [Fact]
    public void Break_lock_takes_a_stale_heartbeat_and_says_why()
    {
        using var holder = System.Diagnostics.Process.Start("sleep", "30")!;
        try
        {
            Plant(holder.Id, Environment.MachineName, DateTimeOffset.UtcNow.AddMinutes(-10));
            var reason = RotationLock.CheckFree(LockPath, Stale, breakLock: true, DateTimeOffset.UtcNow);
            Assert.Contains("heartbeat", reason);
            Assert.Contains("over the 120 s limit", reason);
            using var taken = RotationLock.Acquire(LockPath, "staging", "alice", Stale, breakLock: true);
            Assert.Equal("alice", RotationLock.Read(LockPath)!.Holder);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LockPath)!, "*.broken-*"));
        }
        finally { holder.Kill(); }
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
