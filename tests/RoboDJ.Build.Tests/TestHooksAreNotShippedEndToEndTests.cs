using System.Text;

namespace RoboDJ.Build.Tests;

/// <summary>
/// Failure and crash injection lives in tests/RoboDJ.TestHooks, which only the tests load (DOTNET_STARTUP_HOOKS): the
/// shipped build neither contains nor honours it, whatever the environment says.
/// </summary>
public sealed class TestHooksAreNotShippedEndToEndTests
{
    [Fact]
    public void No_assembly_of_the_shipped_build_names_a_test_hook_variable()
    {
        var shipped = Path.GetDirectoryName(typeof(BuildProcess).Assembly.Location)!.Replace(
            Path.Combine("tests", "RoboDJ.Build.Tests"), "build");
        var assemblies = Directory.GetFiles(shipped, "*.dll").Where(f => Path.GetFileName(f).StartsWith("RoboDJ.", StringComparison.Ordinal) || Path.GetFileName(f) == "_build.dll").ToList();
        Assert.Contains(assemblies, f => Path.GetFileName(f) == "_build.dll");
        Assert.DoesNotContain(assemblies, f => Path.GetFileName(f) == "RoboDJ.TestHooks.dll");
        // .NET keeps string literals as UTF-16.
        var needle = Encoding.Unicode.GetBytes("ROBODJ_TEST_");
        foreach (var dll in assemblies)
            Assert.True(File.ReadAllBytes(dll).AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(dll)} names a ROBODJ_TEST_ variable");
    }

    [Fact]
    public async Task The_shipped_build_ignores_the_test_hook_variables_and_the_tests_hook_honours_them()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        string[] args = ["Rotate", "--env", "sandbox", "--deployment-root", site.Root];

        var shipped = await build.RunAsync(args, new Dictionary<string, string> { ["ROBODJ_TEST_FAIL_TARGET"] = "Verify", ["ROBODJ_TEST_HOOKS"] = "0" });
        Assert.True(shipped.ExitCode == 0, shipped.ToString());

        var hooked = await build.RunAsync(args, new Dictionary<string, string> { ["ROBODJ_TEST_FAIL_TARGET"] = "Verify", ["ROBODJ_TEST_HOOKS"] = "1" });
        Assert.True(hooked.ExitCode == 4, hooked.ToString());
        Assert.Contains("injected failure in Verify", hooked.Output);
    }
}
