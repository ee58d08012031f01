using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Status;
using RoboDJ.Pipeline;
using RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>Status: what an operator checks before and between rotations. Changes nothing.</summary>
// The schedule of rotate-keys.yml: staging rotates by itself once Status finds its V1 overdue (exit 6); production only
// gets its one reminder issue, in a job without the environment, so no reviewer is asked and no key can change.
[GitHubActionsScheduledJob("rotate-keys", "staging", Cron = "17 6 * * *", InvokedTargets = [nameof(Status)], FollowUpOnExitCode = 6, FollowUpTargets = [nameof(Rotate)])]
// Without the environment, ROBODJ_SECRET_* would map repository-level secrets: the reminder reads the keys' fingerprints from .env only.
[GitHubActionsScheduledJob("rotate-keys", "production", Cron = "17 6 * * *", InvokedTargets = [nameof(Remind)], UseJobEnvironment = false, Secrets = ["GITHUB_TOKEN"])]
partial class Build
{
    [Parameter("Status: the oldest V1 the key-age policy accepts, in days")]
    readonly int MaxKeyAge = 90;

    [Parameter("After a verified rotation, keep the snapshots of this many newest verified rotations (and any holding a key a field still needs); shred older ones")]
    readonly int KeepSnapshots = 1;

    [Parameter("Status: also write the status as JSON to .nuke/temp/status.json, for scripts")]
    readonly bool Json;

    Target Status => _ => _
        .Description("Fingerprints and age of V1/V2, census, lock, unfinished rotation, snapshots, app health; changes nothing (exit 6-9 when unhealthy)")
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Guarded(() => StatusCheck.RunAsync(new StatusReader(Settings, CreateStore(Settings), RuntimeSelection.Create(Settings)),
            TimeSpan.FromDays(MaxKeyAge), Json ? Path.Combine(TemporaryDirectory, "status.json") : null, ct,
            seen: status => AddSummarySection(StatusSummarySection.For(status)))))); // the job summary, under GitHub Actions

    /// <summary>The scheduled job of an environment that needs a reviewer (rotate-keys.yml): a reminder, never a rotation.</summary>
    Target Remind => _ => _
        .Description("Scheduled: open or update the one reminder issue while V1 is overdue (with the dispatch link), close it once not; changes no key")
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Guarded(() => StatusCheck.RemindAsync(new StatusReader(Settings, CreateStore(Settings), RuntimeSelection.Create(Settings)),
            new RotationReminder(GitHub.Client, GitHub.Options), Effects, TimeSpan.FromDays(MaxKeyAge), ct,
            seen: status => AddSummarySection(StatusSummarySection.For(status))))));

    /// <summary>Status and Remind run outside the workflow: under --dry-run their bodies get the guard too.</summary>
    async Task<string> Guarded(Func<Task<string>> body)
    {
        using var guard = Effects.Guard();
        return await body();
    }
}
