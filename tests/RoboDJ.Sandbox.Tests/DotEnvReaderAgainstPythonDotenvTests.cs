using System.Diagnostics;
using System.Text.Json;
using RoboDJ.Sandbox.App;
using RoboDJ.Testing;

namespace RoboDJ.Sandbox.Tests;

/// <summary>The sandbox reads .env as python-dotenv does: compared against the real python-dotenv.</summary>
public sealed class DotEnvReaderAgainstPythonDotenvTests : IDisposable
{
    readonly TempDir dir = new("robodj-dotenv");

    public void Dispose() => dir.Dispose();

    public static TheoryData<string, string> Files => new()
    {
        { "plain", "A=1\nB=two words\n" },
        { "comments_and_blanks", "# header\n\nA=1 # trailing comment\n  # indented comment\nB=x#not-a-comment\n" },
        { "export_prefix", "export A=exported\nexport   B=spaced\n" },
        { "single_quotes", "A='  kept # spaces '\nB='it\\'s'\nC='back\\\\slash \\n stays'\n" },
        { "double_quotes", "A=\"line\\nbreak\"\nB=\"say \\\"hi\\\"\"\nC=\"tab\\there # not comment\"\n" },
        { "crlf", "A=1\r\nB=2\r\n" },
        { "a_bom_sticks_to_the_first_key_as_in_python", "\uFEFFA=1\nB=2\n" },
        { "duplicates_last_wins", "A=first\nA=second\n" },
        { "spaces_around", "A = spaced\n  B=  lead\nC=trail   \n" },
        { "fernet_key", "ROBODJ_SECRET_KEY=q7Lk0d6oQpBmHnQv0K4dCq3u2b0pX8m7Yt1aZxWcVvE=\nURL=http://127.0.0.1:8765\n" },
        { "empty_value", "A=\nB=''\nC=\"\"\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_reads_to_the_values_python_dotenv_reads(string name, string content)
    {
        var python = Peers.Python();
        var path = dir.Combine(name + ".env");
        File.WriteAllText(path, content);

        var expected = ReadWithPython(python, path);
        var actual = DotEnvReader.ReadFile(path);

        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    static Dictionary<string, string> ReadWithPython(string python, string path)
    {
        const string script = "import json,sys\nfrom dotenv import dotenv_values\n"
            + "v = dotenv_values(sys.argv[1], interpolate=False)\n"
            + "print(json.dumps({k: x for k, x in v.items() if x is not None}))\n";
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python-dotenv failed: {stderr}");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stdout)!;
    }
}
