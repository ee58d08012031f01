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
    public void An_unreadable_lock_file_names_the_file_and_the_fix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, "{broken");
        var e = Assert.Throws<RotationLockCorruptException>(() => RotationLock.CheckFree(LockPath, Stale, false, DateTimeOffset.UtcNow));
        Assert.Contains(LockPath, e.Message);
        Assert.Contains("--break-lock", e.Message);
    }
}
