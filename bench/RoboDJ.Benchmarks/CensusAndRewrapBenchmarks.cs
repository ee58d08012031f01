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

    // The like-for-like figure next to Python's MultiFernet.rotate, which also touches no file.
    [Benchmark(Description = "KeyRing.Rotate of 10,000 tokens (no file I/O)")]
    public int Rotate_10k_in_memory()
    {
        var rotated = 0;
        foreach (var token in fixture.Tokens)
            if (ring.Rotate(token) is not null) rotated++;
        return rotated;
    }

    [Benchmark(Description = "Census of 10,000 fields")]
    public int Census_10k() => Census.Take(fixture.Scope, ring).Total;

    [Benchmark(Description = "Census + rewrap of 10,000 fields")]
    public int CensusAndRewrap_10k()
    {
        var census = Census.Take(fixture.Scope, ring);
        var report = Rewrap.Run(fixture.Scope, ring);
        if (report.Rewrapped != census.Total) throw new InvalidOperationException($"rewrapped {report.Rewrapped} of {census.Total}");
        return report.Rewrapped;
    }
}
