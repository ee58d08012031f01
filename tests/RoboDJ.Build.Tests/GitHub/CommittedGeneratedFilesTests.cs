namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// The CI gate: the committed workflows and .nuke/build.schema.json are exactly what the real build generates from its
/// attributes and parameters. The build writes into a scratch root (--root), never into the repository.
/// </summary>
public sealed class CommittedGeneratedFilesTests
{
    [Fact]
    public async Task The_committed_workflows_match_what_the_Build_class_generates()
    {
        using var build = new BuildProcess();

        var result = await build.RunAsync(["--generate-configuration"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var generated = Directory.GetFiles(Path.Combine(build.Root, ".github", "workflows"), "*.yml").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["ci.yml", "rotate-fleet.yml", "rotate-keys.yml"], generated);
        foreach (var name in generated)
        {
            var committed = Path.Combine(BuildProcess.RepositoryRoot, ".github", "workflows", name!);
            Assert.True(File.Exists(committed), $"{name} is not committed; run ./build.sh --generate-configuration");
            var (was, now) = (File.ReadAllLines(committed), File.ReadAllLines(Path.Combine(build.Root, ".github", "workflows", name!)));
            // Dependabot moves a pin in the generated file; the pins live in the engine, so say where to copy it.
            var movedPins = was.Except(now).Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)).ToList();
            Assert.True(was.SequenceEqual(now), $".github/workflows/{name} is stale; run ./build.sh --generate-configuration and commit the result" +
                (movedPins.Count == 0 ? "" : $". It pins {string.Join("; ", movedPins.Select(l => l.Trim()))}: when that is Dependabot's update, copy the SHA and tag into src/RoboDJ.Pipeline/GitHubActions/Internal/PinnedActions.cs first"));
        }
    }

    [Fact]
    public async Task The_committed_rotate_keys_workflow_passes_the_token_password_and_keys_from_secrets()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(BuildProcess.RepositoryRoot, ".github", "workflows", "rotate-keys.yml"), TestContext.Current.CancellationToken);
        Assert.Contains("GITHUB_TOKEN: ${{ steps.app-token.outputs.token || secrets.GITHUB_TOKEN }}", text);
        Assert.Contains("DASHBOARD_PASSWORD: ${{ secrets.ROBODJ_DASHBOARD_PASSWORD }}", text);
        Assert.Contains("ROBODJ_SECRET_KEY: ${{ secrets.ROBODJ_SECRET_KEY }}", text);
        Assert.Contains("ROBODJ_SECRET_V2_KEY: ${{ secrets.ROBODJ_SECRET_V2_KEY }}", text);
        Assert.Contains("args+=(--env \"$INPUT_ENVIRONMENT\")", text);
        Assert.Contains("args+=(--dry-run)", text);
        Assert.Contains("args+=(--confirm \"$INPUT_CONFIRM\")", text);
    }

    [Fact]
    public async Task The_committed_parameters_schema_matches_what_the_Build_class_generates()
    {
        using var build = new BuildProcess();

        var result = await build.RunAsync(["--generate-schema"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var committed = Path.Combine(BuildProcess.RepositoryRoot, ".nuke", "build.schema.json");
        Assert.True(File.Exists(committed), ".nuke/build.schema.json is not committed; run ./build.sh --generate-schema");
        Assert.True(File.ReadAllText(committed) == File.ReadAllText(Path.Combine(build.Root, ".nuke", "build.schema.json")),
            ".nuke/build.schema.json is stale; run ./build.sh --generate-schema and commit the result");
    }
}
