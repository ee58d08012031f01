using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

// bench/scale.sh drives this:
//   generate <dir> <fields>   one config file of <fields> api_tokens under an old key, the keys (0600) and the tokens for python
//   run <dir>                 a fresh copy of that config, then Census.Take and Rewrap.Run timed; one JSON line
// Keys are generated for the bench and stay in <dir>; nothing here prints one.
return args switch
{
    ["generate", var dir, var fields] => Generate(dir, int.Parse(fields)),
    ["run", var dir] => Run(dir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ScaleBench generate <dir> <fields> | run <dir>");
    return 2;
}

static int Generate(string dir, int fields)
{
    var pristine = Path.Combine(dir, "pristine");
    Directory.CreateDirectory(pristine);
    FernetKey next = FernetKey.Generate(), old = FernetKey.Generate();
    File.WriteAllText(Path.Combine(dir, "keys.json"), JsonSerializer.Serialize(new { @new = next.Text, old = old.Text }));
    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(dir, "keys.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    var when = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    using var json = new StreamWriter(Path.Combine(pristine, "stations.json"), false, new UTF8Encoding(false), 1 << 20);
    using var tokens = new StreamWriter(Path.Combine(dir, "tokens.txt"), false, new UTF8Encoding(false), 1 << 20);
    // The shape of the sandbox's extra config file in issue 14: about 150 bytes a field (an 11-byte secret, one cipher block).
    json.Write("{\n  \"stations\": [\n");
    for (var i = 0; i < fields; i++)
    {
        var token = FernetToken.Encrypt(old, Encoding.UTF8.GetBytes($"tok-{i:D7}"), when);
        tokens.Write(token);
        tokens.Write('\n');
        json.Write($"    {{\"name\": \"station {i}\", \"api_token\": \"enc:{token}\", \"enabled\": true}}{(i + 1 < fields ? "," : "")}\n");
    }
    json.Write("  ]\n}\n");
    return 0;
}

static int Run(string dir)
{
    var keys = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dir, "keys.json")))!;
    var ring = new KeyRing(FernetKey.Parse(keys["new"], "keys.json new"), FernetKey.Parse(keys["old"], "keys.json old"));
    var root = Path.Combine(dir, "deploy");
    var config = Path.Combine(root, "config");
    Directory.CreateDirectory(config);
    var source = Path.Combine(dir, "pristine", "stations.json");
    var target = Path.Combine(config, "stations.json");
    File.Copy(source, target, overwrite: true);
    var scope = new DeploymentScope(new DeploymentPaths(root));

    var clock = Stopwatch.StartNew();
    var census = Census.Take(scope, ring);
    var censusTime = clock.Elapsed;
    clock.Restart();
    var rewrap = Rewrap.Run(scope, ring);
    var rewrapTime = clock.Elapsed;
    if (rewrap.Rewrapped != census.Total || census.UnderSecondary != census.Total)
        throw new InvalidOperationException($"census {census.Summary}; rewrap {rewrap.Summary}");
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        fields = census.Total,
        file_bytes = new FileInfo(source).Length,
        census_s = Math.Round(censusTime.TotalSeconds, 3),
        rewrap_s = Math.Round(rewrapTime.TotalSeconds, 3),
        total_s = Math.Round((censusTime + rewrapTime).TotalSeconds, 3),
        gc_heap_peak_bytes = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes,
        cores = Environment.ProcessorCount,
    }));
    return 0;
}
