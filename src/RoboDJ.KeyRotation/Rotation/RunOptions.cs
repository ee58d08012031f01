using RoboDJ.KeyRotation.Effects;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>How this run goes, from the command line: never stored with the deployment.</summary>
public sealed record RunOptions
{
    /// <summary>The door every change goes through; --dry-run gives the recording one (<see cref="DryRunEffects"/>).</summary>
    public IEffects Effects { get; init; } = new LiveEffects();
    public bool BreakLock { get; init; }
    public bool AllowUndecryptable { get; init; }
    /// <summary>Rewrap config under the new V1 while the app is down (on by default; off makes V2-only fields block).</summary>
    public bool Rewrap { get; init; } = true;
    /// <summary>Where <see cref="Rewrap"/> came from (flag, variable, parameters file), named by the refusal a rewrap turned off can cause.</summary>
    public string RewrapSource { get; init; } = "--rewrap";
    /// <summary>--rewrap-by: the app's own config saves (before Stop and in Verify) or the offline rewrap while it is down.</summary>
    public RewrapMode RewrapBy { get; init; } = RewrapMode.Auto;
    /// <summary>--keep-snapshots: the snapshots of this many newest verified rotations stay after a rotation (issue 13).</summary>
    public int KeepSnapshots { get; init; } = 1;
    /// <summary>The value of --confirm; production needs "production".</summary>
    public string? Confirm { get; init; }
    /// <summary>The GitHub environment whose approval this Actions job passed (<see cref="ProductionGuard.ApprovedEnvironment"/>); null elsewhere.</summary>
    public string? ApprovedEnvironment { get; init; }
    /// <summary>The dashboard password (DASHBOARD_PASSWORD); null falls back to the deployment's ROBODJ_DASHBOARD_PASSWORD for a dotenv store.</summary>
    public string? DashboardPassword { get; init; }
    /// <summary>The python interpreter for config/scripts/startup_safety.py.</summary>
    public string? Python { get; init; }
    /// <summary>Tests only (<see cref="FaultInjection"/>): called with a target's name after its work and before it is journaled as ended; may return an exception to throw.</summary>
    public Func<string, Exception?>? FaultInjector { get; init; }
}
