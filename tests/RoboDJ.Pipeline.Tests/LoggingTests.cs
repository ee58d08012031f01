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
    public void The_engine_restores_the_previous_serilog_logger_afterwards()
    {
        var before = Serilog.Log.Logger;
        using var h = new Harness();
        h.Run<ChainBuild>("A");
        Assert.Same(before, Serilog.Log.Logger);
    }
}
