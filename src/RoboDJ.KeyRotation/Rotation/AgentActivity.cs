using System.Text.Json;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>One sub-agent lock file, config/agents/*.lock: {agent, impact, heartbeat}.</summary>
public sealed record AgentLock(string File, string Agent, string Impact, DateTimeOffset Heartbeat)
{
    public bool IsHighImpact => string.Equals(Impact, "high", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Runbook §2: "Confirm no high-impact sub-agents are actively making changes." An agent is active while its heartbeat
/// is fresh; only high-impact ones block, because they write config that the rewrap is about to rewrite.
/// </summary>
public static class AgentActivity
{
    public static IReadOnlyList<AgentLock> Read(string agentsDir)
    {
        if (!Directory.Exists(agentsDir)) return [];
        return Directory.EnumerateFiles(agentsDir, "*.lock").Order(StringComparer.Ordinal).Select(Parse).ToList();
    }

    /// <summary>Throws <see cref="ActiveAgentException"/> naming the first high-impact agent with a fresh heartbeat.</summary>
    public static IReadOnlyList<AgentLock> CheckNoneBlocking(string agentsDir, DateTimeOffset now, TimeSpan freshness)
    {
        var agents = Read(agentsDir);
        foreach (var agent in agents)
            if (agent.IsHighImpact && now - agent.Heartbeat <= freshness)
                throw new ActiveAgentException(agent);
        return agents;
    }

    static AgentLock Parse(string file)
    {
        JsonElement root;
        var bytes = Pipeline.IO.InputFile.ReadAllBytes(file, Config.InputLimits.AgentLockBytes,
            fix: "an agent lock is a small regular JSON file; remove what is there if no agent runs");
        if (Pipeline.IO.Utf8Text.FirstInvalid(bytes) is var bad and >= 0)
            throw new AgentLockMalformedException(file, $"line {Pipeline.IO.Utf8Text.PositionOf(bytes, bad).Line}", "a byte is not UTF-8");
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new AgentLockMalformedException(file, $"line {e.LineNumber + 1}", "it is not JSON");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new AgentLockMalformedException(file, "$", "it is not a JSON object");
        string Text(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s : throw new AgentLockMalformedException(file, "$." + name, "the string is missing");
        var heartbeatText = Text("heartbeat");
        if (!DateTimeOffset.TryParse(heartbeatText, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var heartbeat))
            throw new AgentLockMalformedException(file, "$.heartbeat", "it is not an ISO 8601 time");
        return new AgentLock(file, Text("agent"), Text("impact"), heartbeat);
    }
}

public sealed class ActiveAgentException(AgentLock agent)
    : Exception($"{agent.File}: high-impact agent '{agent.Agent}' is active (heartbeat {agent.Heartbeat:u}). " +
                "Wait for it to finish or stop it, so that its lock file goes away or its heartbeat goes stale, then rerun.")
{
    public AgentLock Agent { get; } = agent;
}

public sealed class AgentLockMalformedException(string file, string where, string problem)
    : Exception($"{file} ({where}): {problem}. An agent lock is JSON {{\"agent\": \"name\", \"impact\": \"high|low\", \"heartbeat\": \"2026-11-30T04:15:00Z\"}}; fix or remove the file.");
