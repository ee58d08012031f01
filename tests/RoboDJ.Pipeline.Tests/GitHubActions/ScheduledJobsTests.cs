using System.Diagnostics;
using RoboDJ.Pipeline.CI.GitHubActions;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

[GitHubActionsWorkflow("rotate-keys",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    InvokedTargets = ["Rotate"],
    RunsOn = ["self-hosted", "robodj"],
    Environment = "${{ inputs.environment }}",
    ConcurrencyGroup = "key-rotation-${{ inputs.environment }}",
    WritePermissions = [GitHubActionsPermission.Issues],
    Secrets = ["GITHUB_TOKEN", "ROBODJ_SECRET_KEY"],
    ArtifactName = "key-rotation-${{ inputs.environment }}-${{ github.run_id }}",
    ArtifactPaths = [".nuke/temp/logs/**"])]
[GitHubActionsInput("rotate-keys", "environment", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsScheduledJob("rotate-keys", "staging", Cron = "17 6 * * *", InvokedTargets = ["Status"], FollowUpOnExitCode = 6, FollowUpTargets = ["Rotate"])]
[GitHubActionsScheduledJob("rotate-keys", "production", Cron = "17 6 * * *", InvokedTargets = ["Remind"], UseJobEnvironment = false, Secrets = ["GITHUB_TOKEN"])]
sealed class BuildWithScheduledJobs;

[GitHubActionsWorkflow("w", On = [GitHubActionsTrigger.WorkflowDispatch], InvokedTargets = ["Rotate"])]
[GitHubActionsScheduledJob("w", "staging", Cron = "17 6 * * *", InvokedTargets = ["Status"])]
[GitHubActionsScheduledJob("w", "production", Cron = "0 7 * * *", InvokedTargets = ["Remind"])]
sealed class BuildWithTwoSchedules;

[GitHubActionsWorkflow("w", On = [GitHubActionsTrigger.WorkflowDispatch], InvokedTargets = ["Rotate"])]
[GitHubActionsScheduledJob("w", "staging", Cron = "17 6 * * *", InvokedTargets = ["Status"], FollowUpOnExitCode = 6)]
sealed class BuildWithAFollowUpCodeAndNoTargets;

public class ScheduledJobsTests
{
    static string RotateKeys => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWithScheduledJobs)).Single().Content;

    static string Job(string id)
    {
        var text = RotateKeys;
        var start = text.IndexOf($"\n  {id}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no job {id}:\n{text}");
        var next = text.IndexOf("\n  scheduled-", start + id.Length + 4, StringComparison.Ordinal);
        return next < 0 ? text[start..] : text[start..next];
    }

    [Fact]
    public void A_job_without_its_environment_maps_only_the_secrets_it_names_and_the_others_map_the_workflows()
    {
        Assert.Contains("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", Job("scheduled-production"));
        Assert.DoesNotContain("ROBODJ_SECRET_KEY", Job("scheduled-production"));
        Assert.Contains("ROBODJ_SECRET_KEY: ${{ secrets.ROBODJ_SECRET_KEY }}", Job("scheduled-staging"));
    }

    [Fact]
    public void One_cron_trigger_one_job_per_environment_and_the_dispatch_job_skips_the_schedule()
    {
        Assert.Contains("on:\n  schedule:\n    - cron: '17 6 * * *'\n  workflow_dispatch:\n", RotateKeys);
        Assert.Contains("  rotate-keys:\n    if: github.event_name != 'schedule'\n", RotateKeys);
        Assert.Contains("  scheduled-staging:\n    if: github.event_name == 'schedule'\n", RotateKeys);
        Assert.Contains("  scheduled-production:\n    if: github.event_name == 'schedule'\n", RotateKeys);
    }

    [Fact]
    public void A_scheduled_job_reads_the_environment_input_as_its_environment()
    {
        var staging = Job("scheduled-staging");
        Assert.Contains("    environment: staging\n", staging);
        Assert.Contains("      group: key-rotation-staging\n", staging);
        Assert.Contains("          name: key-rotation-staging-${{ github.run_id }}\n", staging);
        Assert.DoesNotContain("inputs.", staging);
        Assert.Contains("          args=(Status --env staging)\n", staging);
    }

    [Fact]
    public void A_job_without_the_job_environment_asks_no_reviewer()
    {
        var production = Job("scheduled-production");
        Assert.DoesNotContain("environment:", production);
        Assert.Contains("      group: key-rotation-production\n", production);
        Assert.Contains("          args=(Remind --env production)\n", production);
        Assert.DoesNotContain("Rotate", production);
    }

    [Fact]
    public void The_follow_up_step_runs_only_when_the_first_build_exits_with_its_code()
    {
        var staging = Job("scheduled-staging");
        Assert.Contains("        id: first\n", staging);
        Assert.Contains("      - name: ./build.sh Rotate --env staging (when the first build exits 6)\n        if: steps.first.outputs.exit-code == '6'\n", staging);
    }

    /// <summary>The first step's script, run by bash with a stand-in ./build.sh exiting with a given code.</summary>
    static (int ExitCode, string Output) RunFirstStep(int buildExitCode)
    {
        var staging = Job("scheduled-staging");
        var run = staging[(staging.IndexOf("        run: |\n", StringComparison.Ordinal) + "        run: |\n".Length)..];
        run = run[..run.IndexOf("      - name:", StringComparison.Ordinal)];
        var script = string.Join("\n", run.Split('\n').Select(l => l.StartsWith("          ", StringComparison.Ordinal) ? l[10..] : l));
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("build.sh"), $"#!/bin/bash\necho \"build $*\"\nexit {buildExitCode}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.Combine("build.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("bash", ["-e", "-c", script]) { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GITHUB_OUTPUT"] = dir.Combine("output");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + "\n" + File.ReadAllText(dir.Combine("output")));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 0)]
    [InlineData(7, 7)]
    [InlineData(9, 9)]
    public void The_first_step_records_the_build_exit_code_and_fails_only_on_codes_other_than_the_follow_up(int buildExitCode, int stepExitCode)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the step is a bash script");
        var (exitCode, output) = RunFirstStep(buildExitCode);
        Assert.Equal(stepExitCode, exitCode);
        Assert.Contains("build Status --env staging", output);
        Assert.Contains($"exit-code={buildExitCode}\n", output);
    }

    [Fact]
    public void Two_scheduled_jobs_of_one_workflow_with_different_crons_are_refused()
    {
        var e = Assert.Throws<GitHubActionsConfigurationException>(() => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWithTwoSchedules)));
        Assert.Contains("the same Cron", e.Message);
    }

    [Fact]
    public void A_follow_up_code_without_follow_up_targets_is_refused()
    {
        var e = Assert.Throws<GitHubActionsConfigurationException>(() => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWithAFollowUpCodeAndNoTargets)));
        Assert.Contains("set both or neither", e.Message);
    }
}
