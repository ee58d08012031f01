using System.Text.RegularExpressions;
using RoboDJ.KeyRotation.Status;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Issue 19's proof: every exit code the tool can return is a row of the README's table, and every row is one it can
/// return. The codes come from where they are decided: the engine's defaults, the rotation's mapping, Status's
/// verdicts and the bootstrap scripts.
/// </summary>
public sealed partial class ExitCodesInTheReadmeTests
{
    static string Read(params string[] path) => File.ReadAllText(Path.Combine([BuildProcess.RepositoryRoot, .. path]));

    /// <summary>The integer literals a C# file returns (return N; => N; the arms of ?:), outside comments.</summary>
    static IEnumerable<int> ReturnedIn(string source) =>
        source.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => Returned().Matches(l)).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?:\breturn|=>|\?|:)\s*(?<code>\d+)\s*[;,:)]")]
    private static partial Regex Returned();

    [GeneratedRegex(@"^\| (?<code>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\bexit (?<code>\d+)\b")]
    private static partial Regex ScriptExit();

    static SortedSet<int> CodesTheToolReturns()
    {
        var codes = new SortedSet<int>();
        codes.UnionWith(ReturnedIn(Read("src", "RoboDJ.Pipeline", "PipelineBuild.cs")));
        codes.UnionWith(ReturnedIn(Read("src", "RoboDJ.KeyRotation", "Rotation", "RotationExitCode.cs")));
        codes.UnionWith(Enum.GetValues<StatusVerdict>().Select(StatusCheck.ExitCode));
        foreach (var script in new[] { "build.sh", "build.ps1" })
            codes.UnionWith(ScriptExit().Matches(Read(script)).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        return codes;
    }

    [Fact]
    public void Every_exit_code_the_tool_returns_is_a_row_of_the_readme_table_and_no_row_is_another()
    {
        var readme = Read("README.md");
        var table = readme[readme.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = new SortedSet<int>(TableRow().Matches(table).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)));

        var returned = CodesTheToolReturns();

        Assert.Contains(130, returned);
        Assert.Contains(127, returned);
        Assert.Equal(returned, rows);
    }
}
