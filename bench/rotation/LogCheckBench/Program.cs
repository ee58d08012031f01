using System.Diagnostics;
using System.Text;
using RoboDJ.KeyRotation.Verification;

// Usage: dotnet run -c Release --project bench/rotation/LogCheckBench -- [size-in-MiB, default 1024] [runs, default 20]
// Times StartupLog.WaitForPassAsync from the offset taken at Start, with the PASS line written after it, over an empty
// log and over one that already holds the given size of older lines. The check reads only the new bytes, so both should match.
var mib = args.Length > 0 ? int.Parse(args[0]) : 1024;
var runs = args.Length > 1 ? int.Parse(args[1]) : 20;
var dir = Directory.CreateTempSubdirectory("robodj-logbench-");
try
{
    var empty = Path.Combine(dir.FullName, "empty.jsonl");
    var big = Path.Combine(dir.FullName, "big.jsonl");
    File.WriteAllBytes(empty, []);
    WriteOldLines(big, (long)mib << 20);
    Console.WriteLine($"log sizes: empty 0 B, big {new FileInfo(big).Length / (1 << 20)} MiB; {runs} runs each");
    var emptyMs = Measure(empty, runs);
    var bigMs = Measure(big, runs);
    Console.WriteLine($"empty log: median {emptyMs:0.000} ms");
    Console.WriteLine($"{mib} MiB log: median {bigMs:0.000} ms");
    Console.WriteLine($"ratio: {bigMs / emptyMs:0.00}");
}
finally { dir.Delete(recursive: true); }

static void WriteOldLines(string path, long bytes)
{
    var line = Encoding.UTF8.GetBytes("{\"ts\":\"2026-11-29T00:00:00Z\",\"level\":\"INFO\",\"message\":\"Key presence/integrity check: PASS\",\"pad\":\"" + new string('x', 160) + "\"}\n");
    var block = new byte[line.Length * 4096];
    for (var i = 0; i < 4096; i++) line.CopyTo(block, i * line.Length);
    using var stream = File.Create(path);
    for (long written = 0; written < bytes; written += block.Length) stream.Write(block);
}

static double Measure(string path, int runs)
{
    var log = new StartupLog(path) { PollInterval = TimeSpan.FromMilliseconds(1) };
    var pass = Encoding.UTF8.GetBytes("{\"message\":\"Key presence/integrity check: PASS\"}\n");
    var times = new List<double>();
    for (var i = 0; i < runs + 3; i++)
    {
        var offset = log.CurrentOffset();
        using (var s = new FileStream(path, FileMode.Append)) s.Write(pass);
        var clock = Stopwatch.StartNew();
        log.WaitForPassAsync(offset, TimeSpan.FromSeconds(10), null, CancellationToken.None).GetAwaiter().GetResult();
        if (i >= 3) times.Add(clock.Elapsed.TotalMilliseconds); // the first runs warm up the JIT
    }
    times.Sort();
    return times[times.Count / 2];
}
