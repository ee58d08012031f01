using RoboDJ.Pipeline;

/// <summary>
/// The runbook (RUNBOOK.md) as targets: Preflight → Announce → Snapshot → Stop → Rotate ⇒ Start ⇒ Verify, Rollback on
/// failure. Preflight, Announce (production confirmation, announcement), Snapshot, Stop, Start and Verify are gates:
/// --skip cannot skip them (a rotation without its Verify would only roll itself back), and nothing after them runs
/// unless they succeeded.
/// </summary>
partial class Build
{
    Target Preflight => _ => _
        .Description("Access, keys, env contract, sub-agents, lock, unfinished journal, census (runbook §1–§2)")
        .Gate()
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Workflow.PreflightAsync(ct)));

    Target Announce => _ => _
        .Description("Announce the window; production needs --confirm production (runbook §2)")
        .Gate()
        .DependsOn(Preflight)
        .Executes(async ct => Note(await Workflow.AnnounceAsync(ct)));

    Target Snapshot => _ => _
        .Description("Back up config, .env and the env contract with a SHA-256 manifest (runbook §2)")
        .Gate()
        .DependsOn(Announce)
        .Executes(async ct => Note(await Workflow.SnapshotAsync(ct)));

    Target Stop => _ => _
        .Description("Stop the runtime services (runbook §3.1)")
        .Gate()
        .DependsOn(Snapshot)
        .Executes(async ct => Note(await Workflow.StopAsync(ct)));

    Target Rotate => _ => _
        .Description("V1 -> V2, new V1, rewrap config (runbook §3.2)")
        .DependsOn(Stop)
        .Triggers(Start)
        .Executes(async ct => Note(await Workflow.RotateAsync(ct)));

    Target Start => _ => _
        .Description("Restart the runtime services with ROBODJ_* stripped (runbook §3.3)")
        .Gate()
        .After(Rotate)
        .Triggers(Verify)
        .Executes(async ct => Note(await Workflow.StartAsync(ct)));

    Target Verify => _ => _
        .Description("Startup log PASS, dashboard session and config save, census under V1 (runbook §4); alone: checks a live deployment")
        .Gate()
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .After(Start)
        .Executes(async ct => Note(await Workflow.VerifyAsync(ct)));

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
        .OnlyWhenDynamic(() => RollbackIsDue)
        .Executes(async ct => Note(await Workflow.RollbackAndReportAsync(ct)));
}
