using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.Pipeline.Tests.GitHubActions;

[GitHubActionsWorkflow("rollout", On = [GitHubActionsTrigger.WorkflowDispatch], InvokedTargets = ["Phase"], RunsOn = ["self-hosted", "robodj"],
    ConcurrencyGroup = "rollout-${{ inputs.environment }}", Secrets = ["ROBODJ_SECRET_KEY"], ArtifactName = "rollout", ArtifactPaths = [".nuke/temp/logs/**"])]
[GitHubActionsInput("rollout", "environment", Options = ["staging", "production"], Required = true, Default = "staging", Parameter = "env")]
[GitHubActionsJob("rollout", "plan", InvokedTargets = ["Plan"], Outputs = ["hosts"], Secrets = ["GITHUB_TOKEN=ADMIN_TOKEN"])]
[GitHubActionsJob("rollout", "roll", Needs = ["plan"], Matrix = "${{ fromJSON(needs.plan.outputs.hosts) }}", MaxParallel = 1,
    RunsOn = ["self-hosted", "${{ matrix.runner }}"], InvokedTargets = ["Phase"], Env = ["HOST=${{ matrix.host }}"], Arguments = ["--host", "\"$HOST\""],
    ArtifactSuffix = "-${{ matrix.host }}")]
sealed class BuildWithAJobGraph;

[GitHubActionsWorkflow("w", On = [GitHubActionsTrigger.WorkflowDispatch], InvokedTargets = ["Phase"])]
[GitHubActionsJob("w", "roll", Needs = ["plan"], InvokedTargets = ["Phase"])]
[GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"])]
sealed class BuildWhoseJobNeedsALaterOne;

[GitHubActionsWorkflow("w", On = [GitHubActionsTrigger.WorkflowDispatch], InvokedTargets = ["Phase"])]
[GitHubActionsJob("w", "roll", InvokedTargets = ["Phase"], Arguments = ["--host", "${{ matrix.host }}"])]
sealed class BuildWithAnExpressionInItsArguments;

public class JobGraphTests
{
    static string Rollout => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWithAJobGraph)).Single().Content;

    [Fact]
    public void The_jobs_replace_the_single_job_with_needs_a_matrix_one_at_a_time_and_no_fail_fast()
    {
        Assert.Contains("""
              roll:
                needs:
                  - plan
                strategy:
                  matrix: ${{ fromJSON(needs.plan.outputs.hosts) }}
                  max-parallel: 1
                  fail-fast: false
                runs-on:
                  - self-hosted
                  - ${{ matrix.runner }}
            """.Replace("\r", ""), Rollout);
        Assert.DoesNotContain("\n  rollout:\n", Rollout);
    }

    [Fact]
    public void The_concurrency_group_is_the_runs_so_its_matrix_jobs_cannot_cancel_each_others_pending_legs()
    {
        Assert.Contains("\nconcurrency:\n  group: rollout-${{ inputs.environment }}\n  cancel-in-progress: false\n\njobs:\n", Rollout);
        Assert.Single(Rollout.Split("concurrency:").Skip(1));
    }

    [Fact]
    public void Expressions_reach_the_script_through_env_and_outputs_come_from_the_build_step()
    {
        Assert.Contains("          HOST: ${{ matrix.host }}\n", Rollout);
        Assert.Contains("          args+=(--host \"$HOST\")\n", Rollout);
        Assert.Contains("    outputs:\n      hosts: ${{ steps.build.outputs.hosts }}\n", Rollout);
        Assert.Contains("        id: build\n", Rollout);
        Assert.Contains("          GITHUB_TOKEN: ${{ secrets.ADMIN_TOKEN }}\n", Rollout);
        Assert.Contains("name: rollout-${{ matrix.host }}\n", Rollout);
    }

    [Fact]
    public void A_job_that_needs_a_job_declared_after_it_is_refused()
    {
        var e = Assert.Throws<GitHubActionsConfigurationException>(() => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWhoseJobNeedsALaterOne)));
        Assert.Contains("needs 'plan', which is not a job declared before it", e.Message);
    }

    [Fact]
    public void An_expression_in_the_arguments_is_refused_so_no_value_is_spliced_into_the_script()
    {
        var e = Assert.Throws<GitHubActionsConfigurationException>(() => GitHubActionsWorkflowWriter.GenerateAll(typeof(BuildWithAnExpressionInItsArguments)));
        Assert.Contains("put the expression in Env", e.Message);
    }
}
