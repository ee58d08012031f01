using RoboDJ.KeyRotation.Effects;

namespace RoboDJ.KeyRotation.Tests.Effects;

public sealed class EffectsDoorTests
{
    [Fact]
    public async Task The_dry_run_door_records_the_change_and_never_applies_it()
    {
        var effects = new DryRunEffects();
        var applied = false;

        var note = await effects.ApplyAsync("Stop", ChangeKind.Process, () => Task.FromResult("would stop the app"),
            () => { applied = true; return Task.FromResult("stopped"); }, what => $"preview: {what}");

        Assert.False(applied);
        Assert.Equal("preview: would stop the app", note);
        Assert.Equal([new PlannedChange("Stop", ChangeKind.Process, "would stop the app")], effects.Recorded);
    }

    [Fact]
    public async Task The_live_door_applies_the_change_and_never_asks_for_its_description()
    {
        var effects = new LiveEffects();

        var note = await effects.ApplyAsync<string>("Stop", ChangeKind.Process, () => throw new InvalidOperationException("described"),
            () => Task.FromResult("stopped"), _ => throw new InvalidOperationException("stand-in used"));

        Assert.Equal("stopped", note);
        Assert.Empty(effects.Recorded);
    }

    [Fact]
    public async Task The_guard_holds_only_inside_the_dry_run_body_that_engaged_it()
    {
        var effects = new DryRunEffects();
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        var dryRunBody = Task.Run(async () =>
        {
            using var guard = effects.Guard();
            Assert.Throws<DryRunBreachException>(() => EffectGuard.ThrowIfDryRun(ChangeKind.Files, "write a file"));
            inside.SetResult();
            await release.Task;
            Assert.True(EffectGuard.IsEngaged);
        }, TestContext.Current.CancellationToken);
        await inside.Task;

        // A real run side by side (another test, another flow) is not held by it.
        EffectGuard.ThrowIfDryRun(ChangeKind.Files, "write a file");
        Assert.False(EffectGuard.IsEngaged);
        release.SetResult();
        await dryRunBody;
        using (new LiveEffects().Guard()) EffectGuard.ThrowIfDryRun(ChangeKind.Files, "write a file");
    }

    [Fact]
    public void The_preview_numbers_each_recorded_change_with_its_target_and_kind_as_named_values()
    {
        var log = new GitHub.CapturedLog();

        DryRunPreview.Log([
            new PlannedChange("Preflight", ChangeKind.Files, "would take the rotation lock config/key_rotation/rotation.lock"),
            new PlannedChange("Stop", ChangeKind.Process, "would stop the app"),
        ], log.Logger);

        var changes = log.Events.Where(e => e.Level == Serilog.Events.LogEventLevel.Debug).ToList();
        Assert.Equal(["Dry run, change 1 of 2: \"Preflight\" [\"files\"] \"would take the rotation lock config/key_rotation/rotation.lock\"",
                      "Dry run, change 2 of 2: \"Stop\" [\"process\"] \"would stop the app\""], changes.Select(e => e.RenderMessage()));
        Assert.Equal("Stop", ((Serilog.Events.ScalarValue)changes[1].Properties["Target"]).Value);
    }

    [Fact]
    public void The_console_line_counts_the_changes_by_kind()
    {
        var log = new GitHub.CapturedLog();
        var none = new GitHub.CapturedLog();

        DryRunPreview.Log([
            new PlannedChange("Preflight", ChangeKind.Files, "would take the lock"),
            new PlannedChange("Stop", ChangeKind.Process, "would stop the app"),
            new PlannedChange("Rotate", ChangeKind.Files, "would write .env"),
        ], log.Logger);
        DryRunPreview.Log([], none.Logger);

        var line = log.Events.Single(e => e.Level == Serilog.Events.LogEventLevel.Information);
        Assert.Equal("Dry run: a real run would make 3 change(s) (\"2 files, 1 process\"), each the note of its target above; none was made.", line.RenderMessage());
        Assert.Equal(3, ((Serilog.Events.ScalarValue)line.Properties["Count"]).Value);
        Assert.Equal("Dry run: no change would be made.", Assert.Single(none.Events).RenderMessage());
    }
}
