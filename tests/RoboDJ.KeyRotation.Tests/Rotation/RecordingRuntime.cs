using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>A runtime for Preflight tests: reachable or not, and it records whether anything tried to stop or start it.</summary>
sealed class RecordingRuntime(Exception? unreachable = null) : IRuntime
{
    public List<string> Calls { get; } = [];
    public string Description => "test runtime";
    public Task CheckReachableAsync(CancellationToken cancellationToken) => unreachable is null ? Task.CompletedTask : Task.FromException(unreachable);
    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) => Task.FromResult(new RuntimeStatus([]));
    public Task<RuntimeReport> StopAsync(CancellationToken cancellationToken) { Calls.Add("stop"); return Task.FromResult(new RuntimeReport("stopped", [])); }
    public Task<RuntimeReport> StartAsync(DateTimeOffset notBefore, CancellationToken cancellationToken) { Calls.Add("start"); return Task.FromResult(new RuntimeReport("started", [])); }
    public Task<string> DescribeStopAsync(CancellationToken cancellationToken) => Task.FromResult("would stop nothing");
    public string DescribeStart() => "would start";
}
