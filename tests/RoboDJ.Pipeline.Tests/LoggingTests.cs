using System.Text.Json;
using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class LoggingTests
{
    [Fact]
    public void A_run_writes_a_clef_file_under_nuke_temp_logs()
    {
        using var h = new Harness();
        h.Run<NotesBuild>("Warns");
        var file = Assert.Single(Directory.GetFiles(Path.Combine(h.Root, ".nuke", "temp", "logs"), "build-*.clef"));
        var events = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _)));
        Assert.Contains(events, e => e.TryGetProperty("@l", out var l) && l.GetString() == "Warning" && e.GetProperty("@mt").GetString() == "disk almost full");
    }

    [Fact]
    public void Each_target_gets_a_header_on_the_console()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("B");
        Assert.Contains("═══ A ═══", run.Output);
        Assert.Contains("═══ B ═══", run.Output);
        Assert.True(run.Output.IndexOf("═══ A ═══", StringComparison.Ordinal) < run.Output.IndexOf("═══ B ═══", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_has_no_colour_when_the_host_says_it_is_not_a_terminal()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Fragile");
        Assert.DoesNotContain("\u001b[", run.Output);
    }

    [Fact]
    public void Quiet_verbosity_hides_information_but_keeps_errors_and_the_summary()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Fragile", "Cleanup", "--verbosity", "quiet");
        Assert.Contains("[ERR] Target Fragile failed: the disk is full", run.Output);
        Assert.Contains("Build failed: Fragile failed.", run.Output);
        Assert.DoesNotContain("[INF]", run.Output);
    }

    [Fact]
    public void Warnings_and_errors_go_to_stderr_and_results_to_stdout()
    {
        using var h = new Harness();

        var run = h.Run<FailureBuild>("Fragile", "Cleanup");

        Assert.Contains("[ERR] Target Fragile failed: the disk is full", run.Stderr);
        Assert.DoesNotContain("[ERR]", run.Stdout);
        Assert.Matches(@"Target\s+Status\s+Duration\s+Note", run.Stdout);
        Assert.Contains("Build failed: Fragile failed.", run.Stdout);
        Assert.Contains("═══ Fragile ═══", run.Stdout);
        Assert.DoesNotContain("Build failed", run.Stderr);
        Assert.DoesNotContain("Target ", run.Stderr.Replace("Target Fragile failed", ""));
    }

    [Fact]
    public void A_usage_error_goes_to_stderr_alone_and_writes_no_log_file()
    {
        using var h = new Harness();

        var run = h.Run<ChainBuild>("Nope");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: Unknown target 'Nope'.", run.Stderr);
        Assert.Empty(run.Stdout);
        Assert.False(Directory.Exists(Path.Combine(h.Root, ".nuke", "temp", "logs")) && Directory.EnumerateFileSystemEntries(Path.Combine(h.Root, ".nuke", "temp", "logs")).Any(),
            "a usage error left a log file");
    }

    [Fact]
    public void A_run_keeps_the_newest_log_files_and_removes_the_older_ones()
    {
        using var h = new Harness();
        var logs = Directory.CreateDirectory(Path.Combine(h.Root, ".nuke", "temp", "logs")).FullName;
        var earlier = Enumerable.Range(0, 40).Select(i => Path.Combine(logs, $"build-20260101-0000{i:00}-000.clef")).ToList();
        foreach (var file in earlier) File.WriteAllText(file, "{}\n");
        File.WriteAllText(Path.Combine(logs, "notes.txt"), "not ours");

        h.Run<ChainBuild>("A");

        var kept = Directory.GetFiles(logs, "build-*.clef").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(30, kept.Count);
        Assert.Equal(earlier.Skip(11).Select(Path.GetFileName), kept.Take(29));
        Assert.StartsWith("build-2", kept[^1]);
        Assert.DoesNotContain(kept[^1], earlier.Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(logs, "notes.txt")));
    }

    [Fact]
    public void Every_event_carries_the_target_and_the_builds_properties_through_the_log_context()
    {
        using var h = new Harness();

        h.Run<LogContextBuild>("Work");

        var events = File.ReadAllLines(Assert.Single(Directory.GetFiles(Path.Combine(h.Root, ".nuke", "temp", "logs"), "build-*.clef")))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement Event(string template) => events.Single(e => e.GetProperty("@mt").GetString() == template);
        string? Property(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

        var before = Event("before the rotation opens");
        Assert.Equal(("Open", "staging", null), (Property(before, "Target"), Property(before, "Env"), Property(before, "RotationId")));
        var opened = Event("rotation {Rotation} opened");
        Assert.Equal(("Open", "20261203-101500-ab12"), (Property(opened, "Target"), Property(opened, "RotationId")));
        var other = Event("from another thread");
        Assert.Equal(("Work", "staging", "20261203-101500-ab12"), (Property(other, "Target"), Property(other, "Env"), Property(other, "RotationId")));
        Assert.All(events, e => Assert.Equal("staging", Property(e, "Env")));
    }

    [Fact]
    public void The_engine_restores_the_previous_serilog_logger_afterwards()
    {
        var before = Serilog.Log.Logger;
        using var h = new Harness();
        h.Run<ChainBuild>("A");
        Assert.Same(before, Serilog.Log.Logger);
    }
}
