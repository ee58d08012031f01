using System.Text.RegularExpressions;
using RoboDJ.KeyRotation.Fleet;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// The committed .github/workflows/rotate-fleet.yml (CommittedGeneratedFilesTests proves it is what the build writes),
/// read as YAML: the properties the fleet's protocol depends on.
/// </summary>
public sealed partial class RotateFleetWorkflowTests
{
    static readonly string Path = System.IO.Path.Combine(RepositoryRoot.Path, ".github", "workflows", "rotate-fleet.yml");
    static string Text => File.ReadAllText(Path);

    static YamlMappingNode Workflow()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];
    static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;
    static IReadOnlyList<string> Strings(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(key, out var v) ? ((YamlSequenceNode)v).Children.Select(c => ((YamlScalarNode)c).Value!).ToList() : [];
    static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(key);

    [Fact]
    public void The_phases_run_in_order_each_behind_the_previous_one_and_the_host_phases_one_host_at_a_time_on_its_own_runner()
    {
        var jobs = Map(Workflow(), "jobs");
        Assert.Equal(["plan", "phase-0", "phase-1", "phase-2", "phase-3", "promote"], jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal(["plan"], Strings(jobs["phase-0"], "needs"));
        Assert.Equal(["plan", "phase-0"], Strings(jobs["phase-1"], "needs"));
        Assert.Equal(["plan", "phase-1"], Strings(jobs["phase-2"], "needs"));
        Assert.Equal(["plan", "phase-2"], Strings(jobs["phase-3"], "needs"));
        Assert.Equal(["phase-3"], Strings(jobs["promote"], "needs"));
        foreach (var phase in new[] { "phase-1", "phase-2" })
        {
            var strategy = Map(jobs[phase], "strategy");
            Assert.Equal("${{ fromJSON(needs.plan.outputs.hosts) }}", Scalar(strategy, "matrix"));
            Assert.Equal(("1", "false"), (Scalar(strategy, "max-parallel"), Scalar(strategy, "fail-fast")));
            Assert.Equal(["self-hosted", "${{ matrix.runner }}"], Strings(jobs[phase], "runs-on"));
            Assert.Contains($"args+=(--phase {phase[^1]} --fleet-host \"$FLEET_HOST\")", Scalar(BuildStep(jobs[phase]), "run"));
            Assert.Equal("${{ matrix.host }}", Scalar(Map(BuildStep(jobs[phase]), "env"), "FLEET_HOST"));
        }
        foreach (var writer in new[] { "phase-0", "phase-3" })
        {
            Assert.False(Has(jobs[writer], "strategy"));
            Assert.Equal(["self-hosted", "${{ needs.plan.outputs.writer_runner }}"], Strings(jobs[writer], "runs-on"));
        }
        Assert.Equal(["hosts", "writer", "writer_runner"], Map(jobs["plan"], "outputs").Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void One_concurrency_group_holds_the_whole_run_and_no_job_has_its_own()
    {
        var workflow = Workflow();
        Assert.Equal(("key-rotation-${{ inputs.environment }}", "false"), (Scalar(Map(workflow, "concurrency"), "group"), Scalar(Map(workflow, "concurrency"), "cancel-in-progress")));
        Assert.All(Map(workflow, "jobs").Children.Values, job => Assert.False(Has(job, "concurrency")));
    }

    [Fact]
    public void The_next_key_reaches_each_job_only_from_the_environments_secrets_never_through_an_output()
    {
        var jobs = Map(Workflow(), "jobs");
        foreach (var (id, job) in jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value!, j.Value)))
        {
            Assert.Equal("${{ inputs.environment }}", Scalar(Map(job, "environment"), "name"));
            var env = Map(BuildStep(job), "env");
            Assert.Equal($"${{{{ secrets.{FleetKeys.NextName} }}}}", Scalar(env, FleetKeys.NextName));
            Assert.Equal("${{ vars.ROBODJ_DEPLOYMENT_ROOT }}", Scalar(env, "ROTATION_DEPLOYMENT_ROOT"));
            Assert.DoesNotContain("${{", Scalar(BuildStep(job), "run"));
        }
        Assert.Contains("./build.sh FleetMatrix FleetKeyHandOff", Text);
        Assert.Equal("${{ steps.app-token.outputs.token || secrets.ROBODJ_SECRETS_TOKEN }}", Scalar(Map(BuildStep(jobs["plan"]), "env"), "GITHUB_TOKEN"));
        Assert.Equal("${{ steps.app-token.outputs.token || secrets.ROBODJ_SECRETS_TOKEN }}", Scalar(Map(BuildStep(jobs["promote"]), "env"), "GITHUB_TOKEN"));
        Assert.All(new[] { "phase-0", "phase-1", "phase-2", "phase-3" }, phase => Assert.False(Has(Map(BuildStep(jobs[phase]), "env"), "GITHUB_TOKEN")));
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_with_its_tag_and_checkout_keeps_no_credentials()
    {
        var uses = Text.Split('\n').Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, uses.Count); // 6 jobs: checkout, setup-dotnet, upload-artifact; plan and promote: the App token
        Assert.All(uses, line => Assert.Matches(PinnedUse(), line.Trim()));
        foreach (var job in Map(Workflow(), "jobs").Children.Values)
        {
            var checkout = ((YamlSequenceNode)((YamlMappingNode)job)["steps"]).Children.Single(s => Scalar(s, "name") == "Check out");
            Assert.Equal("false", Scalar(Map(checkout, "with"), "persist-credentials"));
        }
    }

    static YamlNode BuildStep(YamlNode job) =>
        ((YamlSequenceNode)((YamlMappingNode)job)["steps"]).Children.Single(s => Scalar(s, "name").StartsWith("./build.sh", StringComparison.Ordinal));

    [GeneratedRegex(@"^uses: [a-z-]+/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedUse();
}
