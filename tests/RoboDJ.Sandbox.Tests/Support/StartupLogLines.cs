using System.Text.Json;

namespace RoboDJ.Sandbox.Tests.Support;

/// <summary>The lines of config/logs/startup_safety_events.jsonl, parsed.</summary>
static class StartupLogLines
{
    public static List<JsonElement> Read(SandboxDeployment deployment)
    {
        var path = deployment.Layout.StartupLog;
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path)
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();
    }

    public static List<string> Messages(SandboxDeployment deployment, string eventName) =>
        Read(deployment)
            .Where(e => e.GetProperty("event").GetString() == eventName)
            .Select(e => e.GetProperty("message").GetString()!)
            .ToList();
}
