using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class DslTests
{
    [Fact]
    public void Async_targets_get_a_live_cancellation_token_and_their_note_reaches_the_summary()
    {
        using var h = new Harness();
        var run = h.Run<NotesBuild>(null, TestContext.Current.CancellationToken, "Async");
        Assert.Equal(0, run.ExitCode);
        Assert.True(NotesBuild.Token.CanBeCanceled);
        Assert.Equal("3 containers stopped", run.Result("Async").Note);
        Assert.Matches(@"Async\s+Succeeded\s+\S*.*3 containers stopped", run.Output);
    }

    [Fact]
    public void A_dry_run_is_visible_to_targets_and_marked_in_the_summary()
    {
        using var h = new Harness();
        var run = h.Run<NotesBuild>("Async", "--dry-run");
        Assert.True(NotesBuild.SawDryRun);
        Assert.True(run.Summary!.IsDryRun);
        Assert.Contains("[dry run: nothing was changed]", run.Output);
        Assert.False(h.Run<NotesBuild>("Async").Summary!.IsDryRun);
        Assert.False(NotesBuild.SawDryRun);
    }

    [Fact]
    public void Unlisted_targets_can_still_be_invoked()
    {
        using var h = new Harness();
        Assert.Equal(["Async", "Hidden"], h.Run<NotesBuild>("Hidden").Ran);
    }

    [Fact]
    public void The_summary_table_has_target_status_duration_and_note_columns_and_an_outcome()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("B", "--skip", "A");
        Assert.Matches(@"Target\s+Status\s+Duration\s+Note", run.Output);
        Assert.Matches(@"\nA\s+Skipped\s+--skip", run.Output);
        Assert.Contains("Build succeeded on ", run.Output);
    }

    [Fact]
    public void Executes_accepts_sync_and_async_actions_with_or_without_a_token_and_runs_several_in_order()
    {
        using var h = new Harness();
        var run = h.Run<OverloadsBuild>("All");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Action", "Action<CancellationToken>", "Func<Task>", "Func<CancellationToken, Task>", "first", "second"], run.Ran);
    }
}

public class InvokedTargetTests
{
    [Fact]
    public void IsInvoked_is_true_only_for_the_targets_the_operator_named()
    {
        using var h = new Support.Harness();
        Support.InvokedBuild.Seen.Clear();
        h.Run<Support.InvokedBuild>("Second");
        Assert.Equal(["First invoked: False", "Second invoked: True"], Support.InvokedBuild.Seen);
    }
}
