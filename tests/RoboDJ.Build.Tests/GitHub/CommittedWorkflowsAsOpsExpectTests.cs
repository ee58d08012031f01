using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// The committed workflows as an ops team reads them (issue 22): each run named after its environment and dry run,
/// artifacts with a retention, environments with a url, every action pinned to a commit with its tag, Dependabot
/// keeping the pins current, and the jobs that write Actions secrets getting a GitHub App token that can.
/// </summary>
public sealed class CommittedWorkflowsAsOpsExpectTests
{
    static readonly string Folder = Path.Combine(BuildProcess.RepositoryRoot, ".github");

    static YamlMappingNode Load(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, relativePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    static YamlNode? Get(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    static string? Text(YamlNode node, string key) => (Get(node, key) as YamlScalarNode)?.Value;

    static IEnumerable<(string Job, YamlMappingNode Step)> Steps(YamlMappingNode workflow) =>
        ((YamlMappingNode)Get(workflow, "jobs")!).Children.SelectMany(job =>
            ((YamlSequenceNode)Get(job.Value, "steps")!).Children.Select(step => (((YamlScalarNode)job.Key).Value!, (YamlMappingNode)step)));

    static readonly string[] Workflows = ["workflows/rotate-keys.yml", "workflows/rotate-fleet.yml", "workflows/ci.yml"];

    [Fact]
    public void Each_rotation_run_is_named_after_its_environment_and_whether_it_is_a_dry_run()
    {
        var keys = Text(Load("workflows/rotate-keys.yml"), "run-name")!;
        Assert.Contains("inputs.environment", keys);
        Assert.Contains("inputs.dry_run && ' (dry run)'", keys);
        Assert.Contains("github.event_name == 'schedule'", keys);
        Assert.Contains("inputs.environment", Text(Load("workflows/rotate-fleet.yml"), "run-name"));
    }

    [Fact]
    public void Every_uploaded_artifact_has_a_retention_and_every_environment_a_url()
    {
        foreach (var file in Workflows)
        {
            var workflow = Load(file);
            foreach (var (job, step) in Steps(workflow).Where(s => Text(s.Step, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true))
                Assert.True(int.TryParse(Text(Get(step, "with")!, "retention-days"), out var days) && days is > 0 and <= 90, $"{file} {job}: no retention-days");
            foreach (var job in ((YamlMappingNode)Get(workflow, "jobs")!).Children.Values)
                if (Get(job, "environment") is { } environment)
                    Assert.StartsWith("${{ github.server_url }}/${{ github.repository }}/actions/runs/", Text(environment, "url"));
        }
        Assert.Equal(9, Workflows.Sum(f => Steps(Load(f)).Count(s => Text(s.Step, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true)));
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_with_its_tag_in_a_comment_and_one_pin_per_action()
    {
        var lines = Workflows.SelectMany(f => File.ReadAllLines(Path.Combine(Folder, f)).Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)).Select(l => (File: f, Line: l.Trim()))).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", l.Line));
        var pins = lines.Select(l => Regex.Match(l.Line, @"uses: ([^@]+)@(\S+) # (\S+)")).Select(m => (Action: m.Groups[1].Value, Pin: m.Groups[2].Value + " " + m.Groups[3].Value)).Distinct().ToList();
        Assert.Equal(pins.Select(p => p.Action).Distinct().Count(), pins.Count);
        Assert.Equal(["actions/checkout", "actions/create-github-app-token", "actions/setup-dotnet", "actions/upload-artifact"], pins.Select(p => p.Action).Order());
    }

    [Fact]
    public void Dependabot_keeps_the_pinned_actions_current()
    {
        var config = Load("dependabot.yml");
        Assert.Equal("2", Text(config, "version"));
        var actions = ((YamlSequenceNode)Get(config, "updates")!).Children.Single(u => Text(u, "package-ecosystem") == "github-actions");
        Assert.Equal("/", Text(actions, "directory"));
        Assert.NotNull(Text(Get(actions, "schedule")!, "interval"));
    }

    [Fact]
    public void The_jobs_that_write_actions_secrets_get_a_github_app_token_and_the_reminder_outside_an_environment_does_not()
    {
        foreach (var (file, jobs) in new[] { ("workflows/rotate-keys.yml", new[] { "rotate-keys", "scheduled-staging" }), ("workflows/rotate-fleet.yml", new[] { "plan", "promote" }) })
        {
            var workflow = Load(file);
            foreach (var id in ((YamlMappingNode)Get(workflow, "jobs")!).Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
            {
                var steps = Steps(workflow).Where(s => s.Job == id).Select(s => s.Step).ToList();
                var token = steps.FindIndex(s => Text(s, "uses")?.StartsWith("actions/create-github-app-token@", StringComparison.Ordinal) == true);
                var builds = steps.Select((s, i) => (s, i)).Where(x => Text(x.s, "run")?.Contains("./build.sh") == true).ToList();
                var mapped = builds.Select(b => Get(b.s, "env") is { } env ? Text(env, "GITHUB_TOKEN") : null).ToList();
                if (!jobs.Contains(id))
                {
                    Assert.True(token < 0, $"{file} {id}: a token step in a job that writes no secret");
                    Assert.All(mapped, m => Assert.True(m is null || m.StartsWith("${{ secrets.", StringComparison.Ordinal), $"{file} {id}: {m}"));
                    continue;
                }
                Assert.True(token >= 0 && builds.All(b => b.i > token), $"{file} {id}: no App token step before the build");
                var step = steps[token];
                Assert.Equal(("app-token", "vars.ROBODJ_APP_CLIENT_ID != ''"), (Text(step, "id"), Text(step, "if")));
                var with = Get(step, "with")!;
                Assert.Equal(("${{ vars.ROBODJ_APP_CLIENT_ID }}", "${{ secrets.ROBODJ_APP_PRIVATE_KEY }}", "write"),
                    (Text(with, "client-id"), Text(with, "private-key"), Text(with, "permission-secrets")));
                Assert.All(mapped, m => Assert.Matches(@"^\$\{\{ steps\.app-token\.outputs\.token \|\| secrets\.\w+ \}\}$", m));
            }
        }
        var reminder = Steps(Load("workflows/rotate-keys.yml")).Where(s => s.Job == "scheduled-production").Select(s => s.Step).ToList();
        Assert.Null(Get(((YamlMappingNode)Get(Load("workflows/rotate-keys.yml"), "jobs")!).Children[new YamlScalarNode("scheduled-production")], "environment"));
        Assert.DoesNotContain(reminder, s => Text(s, "uses")?.Contains("create-github-app-token") == true);
    }
}
