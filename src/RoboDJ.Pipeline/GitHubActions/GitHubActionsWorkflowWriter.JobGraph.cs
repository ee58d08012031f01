using RoboDJ.Pipeline.CI.GitHubActions.Internal;

namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>Workflows of several jobs ([GitHubActionsJob]): needs, matrices and one concurrency group for the run.</summary>
public static partial class GitHubActionsWorkflowWriter
{
    static string WriteJobGraph(GitHubActionsWorkflowAttribute workflow, IReadOnlyList<GitHubActionsInputAttribute> inputs,
        IReadOnlyList<GitHubActionsJobAttribute> jobs, string buildName)
    {
        Check(workflow, inputs, buildName);
        CheckJobs(workflow, jobs, buildName);
        var yaml = new YamlBuilder();
        foreach (var line in Header) yaml.Comment(line);
        yaml.Blank().Scalar("name", workflow.Name);
        if (workflow.RunName is not null) yaml.Scalar("run-name", workflow.RunName);
        yaml.Blank();
        WriteTriggers(yaml, workflow, inputs, []);
        if (workflow.ConcurrencyGroup is not null)
        {
            yaml.Blank();
            using (yaml.Map("concurrency"))
                yaml.Scalar("group", workflow.ConcurrencyGroup).Literal("cancel-in-progress", workflow.ConcurrencyCancelInProgress);
        }
        yaml.Blank();
        using (yaml.Map("jobs"))
            foreach (var job in jobs)
                WriteGraphJob(yaml, workflow, inputs, job);
        return yaml.ToString();
    }

    static void WriteGraphJob(YamlBuilder yaml, GitHubActionsWorkflowAttribute workflow, IReadOnlyList<GitHubActionsInputAttribute> inputs, GitHubActionsJobAttribute job)
    {
        // The job as the single-job writer sees it, without the concurrency group (the run has one, at the top).
        var settings = new GitHubActionsWorkflowAttribute(workflow.Name)
        {
            RunsOn = job.RunsOn.Length > 0 ? job.RunsOn : workflow.RunsOn, TimeoutMinutes = workflow.TimeoutMinutes, Environment = workflow.Environment, EnvironmentUrl = workflow.EnvironmentUrl,
            ReadPermissions = workflow.ReadPermissions, WritePermissions = workflow.WritePermissions,
        };
        using var _ = yaml.Map(job.Id);
        if (job.DisplayName is not null) yaml.Scalar("name", job.DisplayName);
        if (job.Needs.Length > 0) yaml.Sequence("needs", job.Needs);
        if (job.Matrix is not null)
            using (yaml.Map("strategy"))
            {
                yaml.Scalar("matrix", job.Matrix);
                if (job.MaxParallel > 0) yaml.Literal("max-parallel", job.MaxParallel);
                yaml.Literal("fail-fast", false);
            }
        WriteJobSettings(yaml, settings);
        if (job.Outputs.Length > 0)
            using (yaml.Map("outputs"))
                foreach (var output in job.Outputs) yaml.Scalar(output, $"${{{{ steps.{BuildStepId}.outputs.{output} }}}}");
        using (yaml.Map("steps"))
        {
            WriteSetupSteps(yaml);
            WritePrepareStep(yaml, workflow);
            WriteAppTokenStep(yaml, workflow, job.Secrets ?? workflow.Secrets);
            WriteGraphBuildStep(yaml, workflow, inputs, job);
            if (workflow.ArtifactName is not null)
                WriteArtifactStep(yaml, new GitHubActionsWorkflowAttribute(workflow.Name)
                {
                    ArtifactName = workflow.ArtifactName + job.ArtifactSuffix, ArtifactPaths = workflow.ArtifactPaths, ArtifactRetentionDays = workflow.ArtifactRetentionDays,
                    DeploymentRoot = workflow.DeploymentRoot, DeploymentArtifactPaths = workflow.DeploymentArtifactPaths,
                }, BuildStepId);
        }
    }

    static void WriteGraphBuildStep(YamlBuilder yaml, GitHubActionsWorkflowAttribute workflow, IReadOnlyList<GitHubActionsInputAttribute> inputs, GitHubActionsJobAttribute job)
    {
        var passed = inputs.Where(i => i.Parameter is not null).ToList();
        var root = workflow.DeploymentRoot;
        using var _ = yaml.Item();
        yaml.Scalar("name", "./build.sh " + string.Join(' ', job.InvokedTargets));
        if (job.Outputs.Length > 0 || workflow.DeploymentArtifactPaths.Length > 0) yaml.Scalar("id", BuildStepId);
        yaml.Scalar("shell", "bash");
        using (yaml.Map("env"))
        {
            WriteSecrets(yaml, workflow, job.Secrets ?? workflow.Secrets);
            foreach (var input in passed)
                yaml.Scalar(InputVariable(input), $"${{{{ inputs.{input.Name} }}}}");
            foreach (var (variable, value) in job.Env.Select(SplitSecret))
                yaml.Scalar(variable, value);
            if (root is not null) yaml.Scalar(DeploymentRootVariable, root);
        }
        yaml.Block("run",
        [
            $"args=({string.Join(' ', job.InvokedTargets)})",
            .. passed.Select(ArgumentLine),
            .. job.Arguments.Length == 0 ? Array.Empty<string>() : [$"args+=({string.Join(' ', job.Arguments)})"],
            "./build.sh \"${args[@]}\"",
        ]);
    }

    static void CheckJobs(GitHubActionsWorkflowAttribute w, IReadOnlyList<GitHubActionsJobAttribute> jobs, string build)
    {
        var seen = new HashSet<string>();
        foreach (var job in jobs)
        {
            var at = $"[GitHubActionsJob(\"{w.Name}\", \"{job.Id}\")]";
            if (!Identifier().IsMatch(job.Id)) throw Error(build, $"{at} has an id that is not a valid job id", "use letters, digits, '-' and '_', starting with a letter");
            if (!seen.Add(job.Id)) throw Error(build, $"{at} is declared twice", "give each job its own id");
            if (job.InvokedTargets.Length == 0 || job.InvokedTargets.Any(t => !TargetName().IsMatch(t)))
                throw Error(build, $"{at} has InvokedTargets [{string.Join(", ", job.InvokedTargets)}]", "name one or more targets");
            foreach (var need in job.Needs.Where(n => !seen.Contains(n) || n == job.Id))
                throw Error(build, $"{at} needs '{need}', which is not a job declared before it", "declare the jobs in the order they run and name earlier ones in Needs");
            if (job.Arguments.Any(a => a.Contains("${{", StringComparison.Ordinal)))
                throw Error(build, $"{at} has an expression in Arguments", "put the expression in Env (NAME=${{ ... }}) and refer to \"$NAME\"");
            if (job.Env.Any(e => !VariableName().IsMatch(SplitSecret(e).Variable)))
                throw Error(build, $"{at} has an Env entry that is not NAME=value", "write NAME=value with A-Z, 0-9 and '_'");
            if (job.MaxParallel > 0 && job.Matrix is null) throw Error(build, $"{at} has MaxParallel without a Matrix", "set Matrix or drop MaxParallel");
        }
    }
}
