using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>
/// A run against the Python reference app that must be refused: the exit code it must give, and then the proof that it
/// changed nothing (every entry of the deployment, its bytes, mode and owner; the same app process still running; the
/// independent census as before) and printed no secret (the output, the build's logs and every other file it wrote).
/// </summary>
public static class RefusedRun
{
    public static async Task<BuildProcess.Result> ExpectAsync(PythonSite site, BuildProcess build, int exitCode, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, params string[] moreCanaries)
    {
        var tree = TreeState.Of(site.Root);
        var census = site.PythonCensus();
        var pid = site.AppPid();

        var result = await build.RunAsync(args, environment);

        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}, got {result}");
        var after = TreeState.Of(site.Root);
        Assert.True(tree.SequenceEqual(after), $"the deployment changed:\n{TreeState.Difference(tree, after)}\n{result}");
        Assert.Equivalent(census, site.PythonCensus(), strict: true);
        Assert.Equal(pid, site.AppPid());
        Assert.True(await site.IsRunningAsync(), "the app no longer runs");
        Assert.DoesNotContain("   at ", result.Output);
        var canaries = site.Canaries.Concat(moreCanaries).ToList();
        Canary.AssertAbsent(result.Output, canaries, "the build's output");
        // The parameters files are the test's input (one may hold a planted secret); everything else there the run wrote.
        var inputs = Directory.GetFiles(Path.Combine(build.Root, ".nuke"), "parameters*.json").Select(f => Path.GetRelativePath(build.Root, f)).ToArray();
        Canary.AssertAbsentFromTree(build.Root, canaries, inputs);
        return result;
    }
}
