using System.Security.Cryptography;
using RoboDJ.Pipeline.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests;

public class GitHubActionsTests
{
    static Harness UnderActions() => new Harness().WithEnvironment("GITHUB_ACTIONS", "true");

    [Fact]
    public void Every_secret_is_masked_before_any_other_output()
    {
        var canary = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var earlier = "already-registered-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        SecretRedactor.Register(earlier);
        using var h = UnderActions().WithEnvironment("DASHBOARD_PASSWORD", canary);
        var run = h.Run<SecretBuild>("Login");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var firstOther = lines.FindIndex(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal));
        Assert.Contains("::add-mask::" + canary, lines.Take(firstOther));
        Assert.Contains("::add-mask::" + earlier, lines.Take(firstOther));
        Assert.DoesNotContain(lines.Skip(firstOther), l => l.StartsWith("::add-mask::", StringComparison.Ordinal));
        Canary.AssertAbsent(string.Join("\n", lines.Skip(firstOther)), [canary], "output after the masks");
    }

    [Fact]
    public void A_secret_registered_during_the_run_is_masked_at_once()
    {
        using var h = UnderActions();
        var late = "late-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        LateSecretBuild.Secret = late;
        var run = h.Run<LateSecretBuild>("Generate");
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var mask = lines.IndexOf("::add-mask::" + late);
        Assert.True(mask >= 0, run.Output);
        Assert.True(mask < lines.FindIndex(l => l.Contains("generated ***", StringComparison.Ordinal)));
    }

    [Fact]
    public void Each_target_is_folded_in_a_group()
    {
        using var h = UnderActions();
        var run = h.Run<ChainBuild>("B");
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("::", StringComparison.Ordinal) && !l.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        Assert.Equal(["::group::A", "::endgroup::", "::group::B", "::endgroup::"], lines);
    }

    [Fact]
    public void Warnings_and_errors_become_annotations()
    {
        using var h = UnderActions();
        Assert.Contains("::warning::disk almost full", h.Run<NotesBuild>("Warns").Output);
        Assert.Contains("::error::Target Fragile failed: the disk is full", h.Run<FailureBuild>("Fragile").Output);
        Assert.Contains("::error::Unknown target 'Nope'.", h.Run<ChainBuild>("Nope").Output);
    }

    [Fact]
    public void Outside_actions_there_are_no_workflow_commands()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Fragile");
        Assert.DoesNotContain("::", run.Output.Replace("═", ""));
    }
}

public class LateSecretBuild : TestBuild
{
    public static string Secret = "";

    Target Generate => _ => _.Executes(() =>
    {
        SecretRedactor.Register(Secret);
        Serilog.Log.Information("generated {Key}", Secret);
    });
}
