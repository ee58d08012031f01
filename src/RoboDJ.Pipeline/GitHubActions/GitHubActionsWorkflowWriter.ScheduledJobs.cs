using System.Text.RegularExpressions;
using RoboDJ.Pipeline.CI.GitHubActions.Internal;

namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>The jobs of [GitHubActionsScheduledJob]: one per environment, on the workflow's schedule.</summary>
public static partial class GitHubActionsWorkflowWriter
{
    /// <summary>The workflow's job as the scheduled job of one environment sees it: the environment input read as that environment.</summary>
    static GitHubActionsWorkflowAttribute ForScheduledJob(GitHubActionsWorkflowAttribute w, IReadOnlyList<GitHubActionsInputAttribute> inputs, GitHubActionsScheduledJobAttribute job)
    {
        var input = inputs.FirstOrDefault(i => i.Parameter == job.EnvironmentParameter);
        string? Read(string? text) => text is null || input is null ? text : text.Replace($"${{{{ inputs.{input.Name} }}}}", job.Environment);
        return new GitHubActionsWorkflowAttribute(w.Name)
        {
            On = w.On, InvokedTargets = job.InvokedTargets, RunsOn = w.RunsOn, TimeoutMinutes = w.TimeoutMinutes,
            Environment = job.UseJobEnvironment ? job.Environment : null, EnvironmentUrl = w.EnvironmentUrl,
            ConcurrencyGroup = Read(w.ConcurrencyGroup), ConcurrencyCancelInProgress = w.ConcurrencyCancelInProgress,
            ReadPermissions = w.ReadPermissions, WritePermissions = w.WritePermissions, PrepareRunner = w.PrepareRunner, Secrets = job.Secrets ?? w.Secrets,
            ArtifactName = Read(w.ArtifactName), ArtifactPaths = w.ArtifactPaths, DeploymentRoot = w.DeploymentRoot, DeploymentArtifactPaths = w.DeploymentArtifactPaths,
            ArtifactRetentionDays = w.ArtifactRetentionDays, GitHubAppToken = w.GitHubAppToken, GitHubAppClientIdVariable = w.GitHubAppClientIdVariable,
            GitHubAppPrivateKeySecret = w.GitHubAppPrivateKeySecret, GitHubAppPermissions = w.GitHubAppPermissions,
        };
    }

    static void WriteScheduledJob(YamlBuilder yaml, GitHubActionsWorkflowAttribute workflow, GitHubActionsScheduledJobAttribute job)
    {
        using var _ = yaml.Map(job.JobId);
        yaml.Scalar("if", "github.event_name == 'schedule'");
        WriteJobSettings(yaml, workflow);
        using (yaml.Map("steps"))
        {
            WriteSetupSteps(yaml);
            WritePrepareStep(yaml, workflow);
            WriteAppTokenStep(yaml, workflow, workflow.Secrets);
            var followUp = job.FollowUpOnExitCode != 0;
            var firstId = followUp ? "first" : BuildStepId;
            WriteScheduledBuildStep(yaml, workflow, job, job.InvokedTargets, id: followUp || workflow.DeploymentArtifactPaths.Length > 0 ? firstId : null,
                tolerate: followUp ? job.FollowUpOnExitCode : null);
            if (followUp)
                WriteScheduledBuildStep(yaml, workflow, job, job.FollowUpTargets, id: null, tolerate: null,
                    condition: $"steps.first.outputs.exit-code == '{job.FollowUpOnExitCode}'");
            WriteArtifactStep(yaml, workflow, firstId);
        }
    }

    static void WriteScheduledBuildStep(YamlBuilder yaml, GitHubActionsWorkflowAttribute workflow, GitHubActionsScheduledJobAttribute job,
        string[] targets, string? id, int? tolerate, string? condition = null)
    {
        var command = $"./build.sh {string.Join(' ', targets)} --{job.EnvironmentParameter} {job.Environment}";
        using var _ = yaml.Item();
        yaml.Scalar("name", condition is null ? command : $"{command} (when the first build exits {job.FollowUpOnExitCode})");
        if (id is not null) yaml.Scalar("id", id);
        if (condition is not null) yaml.Scalar("if", condition);
        yaml.Scalar("shell", "bash");
        using (yaml.Map("env"))
        {
            WriteSecrets(yaml, workflow, workflow.Secrets);
            if (workflow.DeploymentRoot is { } root) yaml.Scalar(DeploymentRootVariable, root);
        }
        yaml.Block("run",
        [
            $"args=({string.Join(' ', targets)} --{job.EnvironmentParameter} {job.Environment})",
            .. tolerate is { } code
                ? (string[])["code=0", "./build.sh \"${args[@]}\" || code=$?", "echo \"exit-code=$code\" >> \"$GITHUB_OUTPUT\"",
                    $"if [ \"$code\" -ne 0 ] && [ \"$code\" -ne {code} ]; then exit \"$code\"; fi"]
                : ["./build.sh \"${args[@]}\""],
        ]);
    }

    static void CheckScheduled(GitHubActionsWorkflowAttribute w, IReadOnlyList<GitHubActionsInputAttribute> inputs, IReadOnlyList<GitHubActionsScheduledJobAttribute> jobs, string build)
    {
        foreach (var job in jobs)
        {
            var at = $"[GitHubActionsScheduledJob(\"{job.Workflow}\", \"{job.Environment}\")]";
            if (!Identifier().IsMatch(job.Environment)) throw Error(build, $"{at} has an environment that is not a valid job id part", "use letters, digits, '-' and '_'");
            if (!CronLine().IsMatch(job.Cron)) throw Error(build, $"{at} has Cron '{job.Cron}'", "give five cron fields in UTC, e.g. \"17 6 * * *\"");
            if (job.Cron != jobs[0].Cron) throw Error(build, $"{at} has Cron '{job.Cron}', another scheduled job of {w.Name} '{jobs[0].Cron}'", "give every scheduled job of one workflow the same Cron: the schedule is the workflow's");
            if (job.InvokedTargets.Length == 0 || job.InvokedTargets.Concat(job.FollowUpTargets).Any(t => !TargetName().IsMatch(t)))
                throw Error(build, $"{at} has InvokedTargets [{string.Join(", ", job.InvokedTargets)}]", "name one or more targets");
            if ((job.FollowUpOnExitCode != 0) != (job.FollowUpTargets.Length > 0))
                throw Error(build, $"{at} has FollowUpOnExitCode {job.FollowUpOnExitCode} and FollowUpTargets [{string.Join(", ", job.FollowUpTargets)}]", "set both or neither");
            if (!ParameterName().IsMatch(job.EnvironmentParameter)) throw Error(build, $"{at} has EnvironmentParameter '{job.EnvironmentParameter}'", "give the kebab-case parameter name, e.g. \"env\"");
        }
        foreach (var duplicate in jobs.GroupBy(j => j.Environment).Where(g => g.Count() > 1))
            throw Error(build, $"[GitHubActionsScheduledJob(\"{w.Name}\", \"{duplicate.Key}\")] is declared twice", "give each environment one scheduled job");
    }

    [GeneratedRegex(@"^\S+ \S+ \S+ \S+ \S+$")]
    private static partial Regex CronLine();
}
