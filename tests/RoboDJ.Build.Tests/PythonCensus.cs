using System.Diagnostics;
using System.Text.Json;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The independent census: python3 with cryptography's MultiFernet and python-dotenv, not our code, reads .env and
/// tries every Fernet-token-shaped JSON string (DESIGN.md §5) under config/ (all but the pipeline's own key_rotation/ and incidents/).
/// Prints counts and the JSON paths of fields no key opens; never a value.
/// </summary>
static class PythonCensus
{
    public sealed record Result(int Opened, IReadOnlyList<string> Lost, IReadOnlyDictionary<string, int> OpenedByFile);

    const string CensusScript = """
        import sys, os, json, re, base64
        from dotenv import dotenv_values
        from cryptography.fernet import Fernet, MultiFernet, InvalidToken
        root = sys.argv[1]
        env = dotenv_values(os.path.join(root, ".env"))
        fernet = MultiFernet([Fernet(k) for k in (env.get("ROBODJ_SECRET_KEY"), env.get("ROBODJ_SECRET_V2_KEY")) if k])
        opened, lost, by_file = 0, [], {}
        def is_token(text):
            # DESIGN.md §5: base64url, version byte 0x80, at least 73 bytes, starts gAAAAA.
            if not text.startswith("gAAAAA") or not re.fullmatch(r"[A-Za-z0-9_-]+=*", text): return False
            try: raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            except ValueError: return False
            return len(raw) >= 73 and raw[0] == 0x80
        def walk(node, file, path):
            global opened
            if isinstance(node, dict):
                for k, v in node.items(): walk(v, file, f"{path}.{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node): walk(v, file, f"{path}[{i}]")
            elif isinstance(node, str):
                token = node[4:] if node.startswith("enc:") else node
                if not is_token(token): return
                try:
                    fernet.decrypt(token.encode())
                    opened += 1
                    by_file[file] = by_file.get(file, 0) + 1
                except InvalidToken:
                    lost.append(f"{file} {path}")
        config = os.path.join(root, "config")
        for folder, dirs, files in os.walk(config):
            if os.path.relpath(folder, config).split(os.sep)[0] in ("key_rotation", "incidents"): continue
            for name in files:
                if name.endswith(".json"):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8-sig") as f: walk(json.load(f), os.path.relpath(path, root).replace(os.sep, "/"), "$")
        print(json.dumps({"opened": opened, "lost": lost, "by_file": by_file}))
        """;

    const string KeyHashScript = """
        import sys, hashlib
        from dotenv import dotenv_values
        env = dotenv_values(sys.argv[1])
        print(hashlib.sha256(env["ROBODJ_SECRET_KEY"].encode()).hexdigest() + " " + hashlib.sha256(env["ROBODJ_SECRET_V2_KEY"].encode()).hexdigest())
        """;

    public static Result Take(string deploymentRoot)
    {
        using var json = JsonDocument.Parse(Run(CensusScript, deploymentRoot));
        var r = json.RootElement;
        return new Result(r.GetProperty("opened").GetInt32(),
            r.GetProperty("lost").EnumerateArray().Select(e => e.GetString()!).ToList(),
            r.GetProperty("by_file").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
    }

    /// <summary>SHA-256 (hex) of V1 and V2 as python-dotenv reads them from <paramref name="dotEnvPath"/>.</summary>
    public static (string V1, string V2) KeyHashes(string dotEnvPath)
    {
        var parts = Run(KeyHashScript, dotEnvPath).Trim().Split(' ');
        return (parts[0], parts[1]);
    }

    static string Run(string script, string argument)
    {
        using var dir = new TempDir("robodj-pycensus");
        var file = dir.Combine("census.py");
        File.WriteAllText(file, script);
        var info = new ProcessStartInfo(Peers.Python()) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(file);
        info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); Assert.Fail("python did not finish within 60 s"); }
        Assert.True(process.ExitCode == 0, $"python failed: {stderr.Result}");
        return stdout.Result;
    }
}
