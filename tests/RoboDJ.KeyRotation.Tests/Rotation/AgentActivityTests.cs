using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class AgentActivityTests : IDisposable
{
    readonly TempDir temp = new();
    static readonly TimeSpan Fresh = TimeSpan.FromMinutes(5);
    public void Dispose() => temp.Dispose();

    string Agent(string name, string impact, DateTimeOffset heartbeat)
    {
        Directory.CreateDirectory(temp.Combine("agents"));
        var path = temp.Combine("agents", name + ".lock");
        File.WriteAllText(path, $"{{\"agent\": \"{name}\", \"impact\": \"{impact}\", \"heartbeat\": \"{heartbeat:O}\"}}");
        return path;
    }

    [Fact]
    public void A_high_impact_agent_with_a_fresh_heartbeat_blocks_naming_its_file_and_name()
    {
        var path = Agent("scheduler", "high", DateTimeOffset.UtcNow.AddSeconds(-10));
        var e = Assert.Throws<ActiveAgentException>(() => AgentActivity.CheckNoneBlocking(temp.Combine("agents"), DateTimeOffset.UtcNow, Fresh));
        Assert.Contains(path, e.Message);
        Assert.Contains("scheduler", e.Message);
    }

    [Fact]
    public void Low_impact_or_stale_agents_do_not_block()
    {
        Agent("indexer", "low", DateTimeOffset.UtcNow);
        Agent("old-writer", "high", DateTimeOffset.UtcNow.AddHours(-1));
        var agents = AgentActivity.CheckNoneBlocking(temp.Combine("agents"), DateTimeOffset.UtcNow, Fresh);
        Assert.Equal(2, agents.Count);
    }

    [Fact]
    public void No_agents_folder_means_no_agents()
    {
        Assert.Empty(AgentActivity.CheckNoneBlocking(temp.Combine("agents"), DateTimeOffset.UtcNow, Fresh));
    }

    [Fact]
    public void A_malformed_lock_names_the_file_and_the_json_path()
    {
        Directory.CreateDirectory(temp.Combine("agents"));
        File.WriteAllText(temp.Combine("agents", "x.lock"), "{\"agent\": \"x\", \"heartbeat\": \"2026-11-30T04:00:00Z\"}");
        var e = Assert.Throws<AgentLockMalformedException>(() => AgentActivity.Read(temp.Combine("agents")));
        Assert.Contains("x.lock", e.Message);
        Assert.Contains("$.impact", e.Message);
    }
}
