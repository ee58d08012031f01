using System.Text.Json;
using System.Text.RegularExpressions;
using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.Build.Tests;

/// <summary>
/// How a run reads (issue 22), through the built build against a running sandbox app: results on stdout, warnings and
/// errors on stderr, a CLEF log whose events carry env, target and rotation id as properties, and reasons in words in
/// the plan and the summary of every target.
/// </summary>
public sealed class RunOutputEndToEndTests
{
    static readonly Regex Diagnostic = new(@"^\d\d:\d\d:\d\d \[(WRN|ERR)\] ");

    [Fact]
    public async Task A_rotation_puts_results_on_stdout_diagnostics_on_stderr_and_names_env_target_and_rotation_in_every_log_event()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        // A warning Preflight reports: a commented-out copy of V1 keeps a key in plain text.
        File.AppendAllText(site.Paths.DotEnv, "# ROBODJ_SECRET_KEY=old\n");

        var result = await build.RunAsync(["Rotate", "--env", "sandbox", "--deployment-root", site.Root]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\nTarget\s+Status\s+Duration\s+Note\n", result.Stdout);
        Assert.Contains("\nBuild succeeded on ", result.Stdout);
        Assert.Contains("═══ Verify ═══", result.Stdout);
        Assert.DoesNotMatch(@"\[(WRN|ERR)\]", result.Stdout);
        var stderr = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(stderr, line => line.Contains("[WRN] Preflight: ") && line.Contains("commented-out copy of ROBODJ_SECRET_KEY"));
        Assert.All(stderr, line => Assert.Matches(Diagnostic, line));
        // The summary's reasons are words.
        Assert.Matches(@"\nSandbox\s+Skipped\s+the sandbox exists already\n", result.Stdout);
        Assert.Matches(@"\nRollback\s+Skipped\s+not needed: nothing failed once the app was stopped\n", result.Stdout);

        var id = Assert.Single(RotationJournal.All(site.Paths.KeyRotation)).Id.Value;
        var events = File.ReadAllLines(Assert.Single(Directory.GetFiles(Path.Combine(build.Root, ".nuke", "temp", "logs"), "build-*.clef")))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e => Assert.Equal("sandbox", Text(e, "Env")));
        Assert.All(events, e => Assert.DoesNotMatch(@"^\{\w+\}$", e.GetProperty("@mt").GetString()!));
        var inTargets = events.Where(e => Text(e, "Target") is not null && e.GetProperty("@mt").GetString() != "Summary {Target} {Status} {DurationMs} {Note}").ToList();
        Assert.Equal(["Preflight", "Announce", "Snapshot", "Stop", "Rotate", "Start", "Verify", "Rollback"], inTargets.Select(e => Text(e, "Target")).Distinct());
        Assert.All(inTargets.Where(e => Text(e, "Target") is "Stop" or "Rotate" or "Start" or "Verify"), e => Assert.Equal(id, Text(e, "RotationId")));
        Assert.All(events.SkipWhile(e => Text(e, "Target") != "Stop"), e => Assert.Equal(id, Text(e, "RotationId")));
        Assert.Contains(events, e => e.GetProperty("@mt").GetString() == "{Fact}: {Value}" || e.GetProperty("@mt").GetString()!.StartsWith("Census: ", StringComparison.Ordinal));

        var keys = await site.KeysAsync();
        var canaries = site.Canaries.Concat([keys.Primary!.Text]).ToList();
        Canary.AssertAbsent(result.Stdout + result.Stderr, canaries, "the build's output");
        Canary.AssertAbsentFromTree(build.Root, canaries);
    }

    [Fact]
    public async Task The_plan_of_every_target_and_its_html_give_reasons_in_words_never_a_csharp_expression()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var targets = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuildProcess.RepositoryRoot, ".nuke", "build.schema.json")))
            .RootElement.GetProperty("definitions").GetProperty("ExecutableTarget").GetProperty("enum").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Contains("Rollback", targets);
        var reasons = new List<(string Target, string Line)>();

        foreach (var (target, env) in targets.SelectMany(t => new[] { (t, "sandbox"), (t, "staging") }))
        {
            using var build = new BuildProcess();
            var result = await build.RunAsync([target, "--plan", "--env", env, "--deployment-root", env == "sandbox" ? site.Root : Path.Combine(site.Root, "missing")]);
            Assert.True(result.ExitCode == 0, $"{target} --env {env}: {result}");
            var html = File.ReadAllText(Path.Combine(build.Root, ".nuke", "temp", "plan.html"));
            foreach (Match m in Regex.Matches(result.Stdout, @"^\s+\d+\. (\w+)[^(\n]*\((.+)\)$", RegexOptions.Multiline))
                reasons.Add((m.Groups[1].Value, m.Groups[2].Value));
            foreach (Match m in Regex.Matches(html, @"\(((?:skipped|decided)[^)<]*)\)"))
                reasons.Add((target + " (html)", m.Groups[1].Value));
        }

        Assert.Contains(reasons, r => r.Line == "skipped: the sandbox exists already");
        Assert.Contains(reasons, r => r.Line == "skipped: the deployment is not a sandbox");
        Assert.Contains(reasons, r => r.Target == "Rollback" && r.Line == "decided when its turn comes: skipped if not needed: nothing failed once the app was stopped");
        var targetNames = targets.ToHashSet();
        Assert.All(reasons, r =>
        {
            Assert.DoesNotMatch(@"&&|\|\||=>|\(\)|!\w|\w\(", r.Line);
            // An identifier made of words (IsSandbox, RollbackIsDue) is C#; a target's own name is what the operator types.
            foreach (Match word in Regex.Matches(r.Line, @"\b[A-Z][a-z0-9]+[A-Z]\w*\b"))
                Assert.True(targetNames.Contains(word.Value), $"{r.Target}: '{word.Value}' in \"{r.Line}\"");
        });
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task The_help_fits_the_terminal_groups_what_an_operator_reaches_for_first_and_lists_every_option(int columns)
    {
        using var build = new BuildProcess();

        var result = await build.RunAsync(["--help"], new Dictionary<string, string> { ["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: {line}"));
        var first = new[] { "  Rotate (default) -> Stop", "  Status", "  Verify [gate]", "  Resume", "  Rollback", "  RotatePhased -> AnnouncePhased", "  RotateFleet -> AnnouncePhased", "  Preflight [gate]", "  Test" }
            .Select(marker => Array.IndexOf(lines, marker)).ToList();
        Assert.True(!first.Contains(-1) && first.SequenceEqual(first.Order()), result.Stdout);
        foreach (var option in new[] { "--generate-configuration", "--generate-schema", "--no-logo", "--env <value>", "--swarm-dashboard-port-base <value>" })
            Assert.Contains(lines, l => l.StartsWith("  " + option, StringComparison.Ordinal));
        Assert.DoesNotContain("Sandbox", result.Stdout);
    }

    [Fact]
    public async Task A_misspelt_parameter_gets_one_suggestion_on_stderr_not_every_name()
    {
        using var build = new BuildProcess();

        var result = await build.RunAsync(["Status", "--env", "staging", "--dashbord-url", "http://127.0.0.1:8080"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Unknown parameter '--dashbord-url'. Did you mean '--dashboard-url'? Run --help for the list.", result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }

    static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
