using System.Diagnostics;
using System.Text.RegularExpressions;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Testing;
using YamlDotNet.RepresentationModel;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// The committed rotate-keys.yml's build step, run as GitHub runs it: its env: expressions evaluated with GitHub's
/// semantics (an unset variable, secret or input is the empty string), its run: script in bash -eo pipefail, with
/// ./build.sh the built build, against a staging deployment of the Python reference app named by the build's
/// parameters.staging.json. An unset vars.ROBODJ_DEPLOYMENT_ROOT leaves that file's DeploymentRoot in force, and the
/// artifact step's paths, evaluated with the step's outputs, still find the journal there (issue 19).
/// </summary>
public sealed partial class WorkflowStepWithGitHubSemanticsAgainstPythonReferenceAppTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_dispatch_job_rotates_the_deployment_its_parameters_file_names_unless_the_repository_variable_names_another(bool variableSet)
    {
        var bash = Peers.FindOnPath("bash") ?? "/bin/bash";
        await using var site = await PythonSite.CreateAsync(env: "staging");
        using var build = new BuildProcess();
        site.WriteParametersFile(build.Root, variableSet ? [("DeploymentRoot", site.Root + "-not-this-one")] : []);
        var (env, run, artifactPaths) = BuildStep("rotate-keys", "rotate-keys");
        var context = new Dictionary<string, string>
        {
            ["inputs.environment"] = "staging",
            ["inputs.dry_run"] = "false",
            ["secrets.GITHUB_TOKEN"] = "ghs_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            ["secrets.ROBODJ_DASHBOARD_PASSWORD"] = site.DashboardPassword,
        };
        if (variableSet) context["vars.ROBODJ_DEPLOYMENT_ROOT"] = site.Root;
        // The checkout's ./build.sh, standing in for the bootstrap: the built build, rooted in the checkout.
        var buildSh = Path.Combine(build.Root, "build.sh");
        File.WriteAllText(buildSh, $"#!/bin/bash\nexec dotnet '{BuildProcess.BuildDll()}' \"$@\" --root \"$PWD\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(buildSh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, output) = await RunStepAsync(bash, build.Root, env.ToDictionary(e => e.Key, e => Evaluate(e.Value, context)), run);

        // ::add-mask:: lines carry the secrets by design: never in a failure message.
        var withoutMasks = string.Join("\n", output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        Assert.True(exitCode == 0, withoutMasks);
        var keys = await site.AssertRotatedOnceAsync(withoutMasks);
        Assert.False(Directory.Exists(Path.Combine(build.Root, "key_rotation")), "the checkout was taken for the deployment");

        // What upload-artifact would find: the expressions with the build step's outputs, the globs in the checkout.
        foreach (var line in File.ReadAllLines(Path.Combine(build.Root, ".nuke", "temp", "github_output")).Where(l => l.Contains('=')))
            context["steps.build.outputs." + line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
        var journalPath = Evaluate(artifactPaths.Single(p => p.EndsWith("/journal.jsonl", StringComparison.Ordinal)), context);
        Assert.Equal(site.Paths.KeyRotation + "/*/journal.jsonl", journalPath);
        Assert.Single(Directory.GetFiles(site.Paths.KeyRotation, "journal.jsonl", SearchOption.AllDirectories));
        var canaries = site.Canaries.Append(keys.Primary!.Text).Append(context["secrets.GITHUB_TOKEN"]).ToList();
        Canary.AssertAbsent(withoutMasks, canaries, "the step's output");
        Canary.AssertAbsentFromTree(build.Root, canaries, Path.Combine(".nuke", "parameters.staging.json"));
    }

    /// <summary>The env: map and run: script of the job's step that runs ./build.sh, and its artifact paths, from the committed workflow.</summary>
    static (Dictionary<string, string> Env, string Run, string[] ArtifactPaths) BuildStep(string workflow, string job)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(BuildProcess.RepositoryRoot, ".github", "workflows", workflow + ".yml"))))
            yaml.Load(reader);
        var jobs = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["jobs"];
        var steps = (YamlSequenceNode)((YamlMappingNode)jobs[job])["steps"];
        var step = steps.Cast<YamlMappingNode>().Single(s => s.Children.TryGetValue("run", out var r) && ((YamlScalarNode)r).Value!.Contains("./build.sh", StringComparison.Ordinal));
        var env = step.Children.TryGetValue("env", out var e)
            ? ((YamlMappingNode)e).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "")
            : [];
        var upload = steps.Cast<YamlMappingNode>().Single(s => s.Children.TryGetValue("uses", out var u) && ((YamlScalarNode)u).Value!.StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        var paths = ((YamlScalarNode)((YamlMappingNode)upload["with"])["path"]).Value!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (env, ((YamlScalarNode)step["run"]).Value!, paths);
    }

    /// <summary>
    /// ${{ secrets.X }}, ${{ vars.X }}, ${{ inputs.x }}, ${{ steps.S.outputs.x }}: the value, or "" when unset, as GitHub
    /// does; a || b: the first operand that is not empty, as GitHub's || returns its first truthy operand. Any other
    /// expression fails the test.
    /// </summary>
    static string Evaluate(string text, IReadOnlyDictionary<string, string> context) =>
        Expression().Replace(text, m =>
        {
            var operands = m.Groups["body"].Value.Split("||", StringSplitOptions.TrimEntries);
            if (!operands.All(o => Reference().IsMatch(o)))
                throw new InvalidOperationException($"the workflow has an expression this test does not evaluate: {m.Value}");
            return operands.Select(o => context.GetValueOrDefault(o, "")).FirstOrDefault(v => v.Length > 0) ?? "";
        });

    [GeneratedRegex(@"\$\{\{(?<body>[^}]*)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^(?:secrets|vars|inputs|steps\.[A-Za-z0-9_-]+\.outputs)\.[A-Za-z0-9_-]+$")]
    private static partial Regex Reference();

    /// <summary>The step as the runner runs a bash step: bash --noprofile --norc -eo pipefail, GitHub's defaults, then the step's env.</summary>
    static async Task<(int ExitCode, string Output)> RunStepAsync(string bash, string checkout, Dictionary<string, string> env, string script)
    {
        var scriptFile = Path.Combine(checkout, ".nuke", "temp", "step.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(scriptFile)!);
        File.WriteAllText(scriptFile, script);
        var info = new ProcessStartInfo(bash, ["--noprofile", "--norc", "-eo", "pipefail", scriptFile])
        {
            WorkingDirectory = checkout, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_", StringComparison.Ordinal) || k.StartsWith("ROTATION_", StringComparison.Ordinal) || k.StartsWith("GITHUB_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        info.Environment["CI"] = "true";
        info.Environment["GITHUB_ACTIONS"] = "true";
        info.Environment["GITHUB_OUTPUT"] = Path.Combine(checkout, ".nuke", "temp", "github_output");
        info.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(checkout, ".nuke", "temp", "step_summary.md");
        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "1000";
        foreach (var (name, value) in env) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException("the workflow step did not finish in 3 minutes"); }
        return (process.ExitCode, await stdout + await stderr);
    }
}
