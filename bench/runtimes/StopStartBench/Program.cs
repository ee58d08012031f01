using System.Diagnostics;
using System.Globalization;
using RoboDJ.KeyRotation.Runtimes;
using Serilog;
using Serilog.Core;
using Serilog.Events;

// Usage: StopStartBench <deployment-root> <project> [iterations]
// Alternates "by hand" (compose down, then up -d, as child processes) with runtime.StopAsync + StartAsync, so load
// drifts on a shared machine hit both sides alike. Prints medians and the runtime's overhead.
var root = args[0];
var project = args[1];
var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var ct = CancellationToken.None;
var cliTime = new CliTimeSink();
Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(cliTime).CreateLogger();

using var runtime = new DockerComposeRuntime(new DockerComposeOptions
{
    DeploymentRoot = root,
    ProjectName = project,
    StopTimeout = TimeSpan.FromSeconds(2),
});
var flavor = await runtime.ComposeFlavorAsync(ct);
var compose = flavor.Executable;
string[] prefix = [.. flavor.PrefixArguments, "-p", project, "-f", Path.Combine(root, "docker-compose.yaml")];

void ByHand(params string[] command)
{
    var psi = new ProcessStartInfo(compose) { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in prefix.Concat(command)) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{compose} {string.Join(' ', command)} failed");
}

var byHand = new List<double>();
var viaRuntime = new List<double>();
var ownTime = new List<double>();
try
{
    ByHand("up", "-d"); // warm-up: images, CLI caches
    await runtime.StartAsync(DateTimeOffset.MinValue, ct); // warm-up: JIT and the first API connection
    for (var i = 0; i < iterations; i++)
    {
        var clock = Stopwatch.StartNew();
        ByHand("down", "-t", "2");
        ByHand("up", "-d");
        byHand.Add(clock.Elapsed.TotalSeconds);

        cliTime.Reset();
        clock.Restart();
        await runtime.StopAsync(ct);
        await runtime.StartAsync(DateTimeOffset.UtcNow, ct);
        viaRuntime.Add(clock.Elapsed.TotalSeconds);
        ownTime.Add(clock.Elapsed.TotalSeconds - cliTime.Seconds);
        Console.WriteLine($"run {i + 1}: by hand {byHand[^1]:0.000} s, runtime {viaRuntime[^1]:0.000} s, of which outside the compose CLI {ownTime[^1] * 1000:0} ms");
    }
}
finally
{
    ByHand("down", "-t", "2");
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

var hand = Median(byHand);
var rt = Median(viaRuntime);
Console.WriteLine($"compose CLI: {flavor}");
Console.WriteLine($"stop+start, {iterations} runs, median: by hand {hand:0.000} s (min {byHand.Min():0.000}), runtime {rt:0.000} s (min {viaRuntime.Min():0.000})");
Console.WriteLine($"runtime overhead: {(rt - hand) / hand * 100:+0.0;-0.0}% of the median ({(rt - hand) * 1000:+0;-0} ms)");
var own = Median(ownTime);
Console.WriteLine($"runtime's own time outside the compose CLI (API checks, waits), median: {own * 1000:0} ms = {own / hand * 100:0.0}% of by hand");

/// <summary>Sums the compose CLI run times the runtime logs at Debug, to split its time into CLI and its own.</summary>
sealed class CliTimeSink : ILogEventSink
{
    double ms;
    public double Seconds => ms / 1000;
    public void Reset() => ms = 0;
    public void Emit(LogEvent e)
    {
        if (e.Properties.TryGetValue("Ms", out var v) && v is ScalarValue { Value: int value }) ms += value;
    }
}
