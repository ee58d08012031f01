using BenchmarkDotNet.Attributes;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Benchmarks;

/// <summary>What Preflight and Rotate cost on 10,000 encrypted fields in 100 JSON files, file I/O and atomic writes included.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CensusAndRewrapBenchmarks
{
    ConfigFixture fixture = null!;
    KeyRing ring = null!;

    [GlobalSetup]
    public void Setup()
    {
        fixture = new ConfigFixture();
        ring = new KeyRing(fixture.New, fixture.Old);
    }

    [IterationSetup]
    public void Reset() => fixture.Reset();

    [GlobalCleanup]
    public void Cleanup() => fixture.Delete();

    [Benchmark(Description = "Census of 10,000 fields")]
    public int Census_10k() => Census.Take(fixture.Config, ring).Findings.Count;

    [Benchmark(Description = "Census + rewrap of 10,000 fields")]
    public int CensusAndRewrap_10k()
    {
        var census = Census.Take(fixture.Config, ring);
        var report = Rewrap.Run(fixture.Config, ring);
        if (report.Rewrapped != census.Findings.Count) throw new InvalidOperationException($"rewrapped {report.Rewrapped} of {census.Findings.Count}");
        return report.Rewrapped;
    }
}
