using System.Diagnostics;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>Runs a python script from a temp file with its data on stdin, so no key ever sits in argv.</summary>
static class PythonRunner
{
    public static string Run(string script, string stdin)
    {
        var python = Peers.Python();
        using var dir = new TempDir("robodj-py");
        var file = dir.Combine("script.py");
        File.WriteAllText(file, script);
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000)) { process.Kill(true); Assert.Fail("python did not finish within 60 s"); }
        Assert.True(process.ExitCode == 0, $"python failed: {stderr.Result}");
        return stdout.Result;
    }
}
