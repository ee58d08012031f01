using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Build.Tests;

/// <summary>Issue 9, defect 4 (Verify alone): the latest PASS counts only when it reports the V1 that the store holds now.</summary>
public sealed class VerifyAloneChecksTheRunningAppEndToEndTests
{
    [Fact]
    public async Task Verify_alone_fails_when_the_running_app_passed_with_another_V1_than_the_store_holds()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        string[] args = ["Verify", "--env", "sandbox", "--deployment-root", site.Root];
        var original = await site.KeysAsync();
        var passed = await build.RunAsync(args);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        // The summary's note says what was checked, in words: the dashboard's verdict and the census, never a template.
        var note = System.Text.RegularExpressions.Regex.Replace(passed.Output, @"\s+", " ");
        Assert.Contains($"latest key check PASS with V1 {original.Primary!.Fingerprint}", note);
        Assert.Contains("0 undecryptable", note);
        Assert.DoesNotContain("{dashboard}", note);
        Assert.DoesNotContain("{census.Summary}", note);

        // V1 and V2 swapped behind the app's back: every field still opens, but the app runs with the other V1.
        await new DotEnvSecretStore(site.Paths.DotEnv).WriteAsync(new KeySlots(original.Secondary!, original.Primary), CancellationToken.None);
        var result = await build.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"reports V1 {original.Primary!.Fingerprint}, not the expected {original.Secondary!.Fingerprint}", result.Output);
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        RunningApp.AssertRunsWith(site, original.Primary.Fingerprint);
    }
}
