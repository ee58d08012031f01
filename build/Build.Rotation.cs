using System.Runtime.CompilerServices;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;

/// <summary>
/// The runbook (RUNBOOK.md) as targets: Preflight → Announce → Snapshot → Stop → Rotate ⇒ Start ⇒ Verify, Rollback on
/// failure. Preflight, Announce (production confirmation, announcement), Snapshot, Stop, Start and Verify are gates:
/// --skip cannot skip them (a rotation without its Verify would only roll itself back), and nothing after them runs
/// unless they succeeded.
/// </summary>
partial class Build
{
    // What each target hands to the next (RotationPhases.cs): a target can only take what the one before it returned.
    Preflighted? preflighted;
    Announced? announced;
    OpenedRotation? opened;
    StoppedRuntime? stopped;
    RotatedKeys? rotated;
    StartedRuntime? started;

    Target Preflight => _ => _
        .Description("Access, keys, env contract, sub-agents, lock, unfinished journal, census (runbook §1–§2)")
        .Gate()
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => preflighted = Note(await Workflow.PreflightAsync(ct)));

    Target Announce => _ => _
        .Description("Announce the window; production needs --confirm production (runbook §2)")
        .Gate()
        .DependsOn(Preflight)
        .Executes(async ct => announced = Note(await Workflow.AnnounceAsync(Reached(preflighted), ct)));

    Target Snapshot => _ => _
        .Description("Back up config, .env and the env contract with a SHA-256 manifest (runbook §2)")
        .Gate()
        .DependsOn(Announce)
        .Executes(async ct => opened = Note(await Workflow.SnapshotAsync(Reached(announced), ct)));

    Target Stop => _ => _
        .Description("Stop the runtime services (runbook §3.1)")
        .Gate()
        .DependsOn(Snapshot)
        .Executes(async ct => stopped = Note(await Workflow.StopAsync(Reached(opened), ct)));

    Target Rotate => _ => _
        .Description("V1 -> V2, new V1, rewrap config (runbook §3.2)")
        .DependsOn(Stop)
        .Triggers(Start)
        .Executes(async ct => rotated = Note(await Workflow.RotateAsync(Reached(stopped), ct)));

    Target Start => _ => _
        .Description("Restart the runtime services with ROBODJ_* stripped (runbook §3.3)")
        .Gate()
        .After(Rotate)
        .Triggers(Verify)
        .Executes(async ct => started = Note(await Workflow.StartAsync(Reached(rotated), ct)));

    Target Verify => _ => _
        .Description("Startup log PASS, dashboard session and config save, census under V1 (runbook §4); alone: checks a live deployment")
        .Gate()
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .After(Start)
        .Executes(async ct => Note(await Workflow.VerifyAsync(started, ct)));

    Target Resume => _ => _
        .Description("Finish an unfinished rotation from its journal, never shifting keys twice")
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Workflow.ResumeAsync(ct)));

    Target Rollback => _ => _
        .Description("Stop, restore keys and config from the snapshot, start, verify, postmortem (runbook §5); alone: rolls back the last rotation")
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .TriggeredBy(Stop, Resume)
        .After(Verify, Resume)
        .AssuredAfterFailure()
        .OnlyWhenDynamic(() => RollbackIsDue, "not needed: nothing failed once the app was stopped")
        .Executes(async ct => Note(await Workflow.RollbackAndReportAsync(ct)));

    T Note<T>(PhaseResult<T> result)
    {
        Note(result.Note);
        return result.Value;
    }

    /// <summary>The previous phase's value; null only when that target did not run in this process (e.g. Start invoked alone).</summary>
    T Reached<T>(T? phase, [CallerMemberName] string target = "") where T : class =>
        phase ?? throw new PhaseNotReachedException(target, typeof(T));
}
