namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The build's target names, for code in src that cannot write <c>nameof(Build.Stop)</c>: the workflow's journal and
/// failure record, the exit codes, the fault-injection points. Build.Tests checks that each one is a target of the build.
/// </summary>
public static class RotationTargets
{
    public const string Preflight = nameof(Preflight);
    public const string Announce = nameof(Announce);
    public const string Snapshot = nameof(Snapshot);
    public const string Stop = nameof(Stop);
    public const string Rotate = nameof(Rotate);
    public const string Start = nameof(Start);
    public const string Verify = nameof(Verify);
    public const string Resume = nameof(Resume);
    public const string Rollback = nameof(Rollback);
    public const string Status = nameof(Status);
    public const string Remind = nameof(Remind);
    public const string Sandbox = nameof(Sandbox);
    public const string PreflightPhased = nameof(PreflightPhased);
    public const string AnnouncePhased = nameof(AnnouncePhased);
    public const string RotatePhased = nameof(RotatePhased);
    public const string ResumePhased = nameof(ResumePhased);
    public const string RollbackPhased = nameof(RollbackPhased);
    public const string RotateFleet = nameof(RotateFleet);
    public const string ResumeFleet = nameof(ResumeFleet);
    public const string RollbackFleet = nameof(RollbackFleet);

    /// <summary>Targets after which a failure leaves the deployment changed, so Rollback must run.</summary>
    public static readonly IReadOnlyList<string> NeedRollback = [Stop, Rotate, Start, Verify, Resume];

    /// <summary>Targets whose failure is a refusal: nothing was changed yet (exit 3).</summary>
    public static readonly IReadOnlyList<string> Refusing = [Preflight, Announce, Snapshot, PreflightPhased, AnnouncePhased];

    /// <summary>The phased targets that change replicas: a failure leaves the phased rotation open for ResumePhased or RollbackPhased.</summary>
    public static readonly IReadOnlyList<string> Phased = [RotatePhased, ResumePhased, RollbackPhased, RotateFleet, ResumeFleet, RollbackFleet];

    public static IReadOnlyList<string> All { get; } = [Preflight, Announce, Snapshot, Stop, Rotate, Start, Verify, Resume, Rollback, Status, Remind, Sandbox,
        PreflightPhased, AnnouncePhased, RotatePhased, ResumePhased, RollbackPhased, RotateFleet, ResumeFleet, RollbackFleet];
}
