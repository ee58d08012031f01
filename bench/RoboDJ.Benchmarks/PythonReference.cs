using System.Diagnostics;
using System.Text.Json;

namespace RoboDJ.Benchmarks;

/// <summary>Times Python's MultiFernet.rotate on the same 10,000 tokens; keys and tokens go over stdin, never argv.</summary>
static class PythonReference
{
    public static string Measure(string script)
    {
        var fixture = new ConfigFixture();
        try
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("PYTHON") ?? "python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
            info.ArgumentList.Add(script);
            using var python = Process.Start(info)!;
            python.StandardInput.Write(JsonSerializer.Serialize(new { @new = fixture.New.Text, old = fixture.Old.Text, tokens = fixture.Tokens }));
            python.StandardInput.Close();
            var output = python.StandardOutput.ReadToEnd();
            python.WaitForExit();
            return output.Trim();
        }
        finally { fixture.Delete(); }
    }
}
