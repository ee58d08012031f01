using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class PlanOutputTests
{
    [Fact]
    public void Plan_prints_the_order_and_runs_nothing()
    {
        using var h = new Harness();
        var run = h.Run<RelationsBuild>("Stop", "Compile", "--plan");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Ran);
        var lines = run.Output.Split('\n').Where(l => l.TrimStart().Length > 2 && char.IsDigit(l.TrimStart()[0])).Select(l => l.Trim()).ToList();
        Assert.Equal(["1. Restore", "2. Setup", "3. Compile", "4. Stop", "5. Start", "6. Report"], lines);
    }

    [Fact]
    public void Plan_writes_a_mermaid_graph_with_each_kind_of_edge()
    {
        using var h = new Harness();
        h.Run<RelationsBuild>("Stop", "--plan");
        var md = File.ReadAllText(Path.Combine(h.Root, ".nuke", "temp", "plan.md"));
        Assert.Contains("```mermaid\ngraph LR\n", md);
        Assert.Contains("  Restore --> Compile\n", md);
        Assert.Contains("  Stop -.->|triggers| Start\n", md);
        Assert.Contains("  Compile -.- Pack\n", md);
        Assert.Contains("class Stop,Start,Report planned;", md);
    }

    [Fact]
    public void Plan_writes_an_offline_html_page_with_an_inline_svg()
    {
        using var h = new Harness();
        h.Run<ConditionBuild>("Static", "Dynamic", "--plan");
        var html = File.ReadAllText(Path.Combine(h.Root, ".nuke", "temp", "plan.html"));
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.Contains("<g class=\"target skipped\">", html);
        Assert.Contains(">2. Static</text>", html);
        Assert.Contains("class=\"edge dependson\"", html);
        Assert.Contains("<li>Static (skipped: the optional step is off)</li>", html);
        Assert.Contains("<li>Dynamic (decided when its turn comes: skipped if the condition &quot;flag&quot; is false)</li>", html);
        Assert.Matches("<g class=\"target planned\"><title>[^<]*decided when its turn comes[^<]*</title><rect [^>]*stroke-dasharray=\"5 3\"/><text[^>]*>4. Dynamic</text>", html);
    }

    [Fact]
    public void Plan_does_not_write_a_log_file()
    {
        using var h = new Harness();
        h.Run<ChainBuild>("C", "--plan");
        Assert.False(Directory.Exists(Path.Combine(h.Root, ".nuke", "temp", "logs")));
    }
}
