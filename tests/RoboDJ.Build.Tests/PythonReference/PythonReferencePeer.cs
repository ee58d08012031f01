using System.Diagnostics;
using System.Text.Json;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>
/// The python side of the tests: tests/peers/robodj_reference_app.py and reference_tools.py run by a python3 that
/// imports cryptography and dotenv. Secrets go to python on stdin, never in argv.
/// </summary>
public static class PythonReferencePeer
{
    static readonly Lazy<string> interpreter = new(ResolveInterpreter);

    public static string PeersFolder => Path.Combine(RepositoryRoot.Path, "tests", "peers");
    public static string AppScript => Path.Combine(PeersFolder, "robodj_reference_app.py");
    static string ToolsScript => Path.Combine(PeersFolder, "reference_tools.py");

    /// <summary>
    /// The interpreter binary itself (sys.executable), not a wrapper such as a pyenv shim, so that a launcher's
    /// `exec -a NAME` gives the app's process that name.
    /// </summary>
    public static string Interpreter => interpreter.Value;

    /// <summary>Fernet(key).encrypt of each plaintext, by the reference implementation.</summary>
    public static IReadOnlyList<string> Encrypt(string key, IReadOnlyList<string> plaintexts) =>
        JsonSerializer.Deserialize<List<string>>(Run([ToolsScript, "encrypt"], JsonSerializer.Serialize(new { key, plaintexts })))!;

    /// <summary>The deployment as python-dotenv and MultiFernet see it (fingerprints only).</summary>
    public static PythonCensus Census(string root, PythonCensusScope scope = PythonCensusScope.App) =>
        JsonSerializer.Deserialize<PythonCensus>(Run(scope == PythonCensusScope.Rotation ? [ToolsScript, "census", root, "--rotation-scope"] : [ToolsScript, "census", root], ""))!;

    /// <summary>The rotation scope's fields opened by the keys in .env together with every ROBODJ_* key of <paramref name="keysFile"/> (a recovery file).</summary>
    public static PythonCensus CensusWithKeysFrom(string root, string keysFile) =>
        JsonSerializer.Deserialize<PythonCensus>(Run([ToolsScript, "census", root, "--keys-from", keysFile], ""))!;

    static string ResolveInterpreter() => Run(Peers.Python(), ["-c", "import sys; print(sys.executable)"], "").Trim();

    static string Run(IReadOnlyList<string> args, string stdin) => Run(Interpreter, args, stdin);

    static string Run(string python, IReadOnlyList<string> args, string stdin)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(30_000)) { process.Kill(true); throw new TimeoutException($"{python} {string.Join(' ', args)} took over 30 s"); }
        // stderr is python's traceback: it names files and lines, and the scripts never print a secret.
        if (process.ExitCode != 0) throw new InvalidOperationException($"{python} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
