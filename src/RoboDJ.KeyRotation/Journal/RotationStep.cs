namespace RoboDJ.KeyRotation.Journal;

/// <summary>The steps a rotation journals, in the order they happen. Begin and the terminal steps carry no start/end pair.</summary>
public enum RotationStep
{
    Begin,
    Snapshot,
    /// <summary>Before Stop: the app's own config save under the current keys moved every field only V2 opened into V1.</summary>
    SaveBeforeStop,
    Stop,
    Shift,
    Rewrap,
    Start,
    Verify,
    Completed,
    Rollback,
    RolledBack,
    /// <summary>After Completed: old snapshots shredded (fingerprints and rotation ids only).</summary>
    Retention,
    /// <summary>Phased rotation (replicas), phase 0: census, anything under V2 rewrapped into V1 by one writer.</summary>
    PhaseRewrapUnderV1,
    /// <summary>Phase 1: V1 = old, V2 = new rolled out; every replica reads the new key, none writes with it.</summary>
    PhaseNewKeyReadable,
    /// <summary>Phase 2: V1 = new, V2 = old rolled out; every replica reads what any other writes.</summary>
    PhaseNewKeyPrimary,
    /// <summary>Phase 3: one config save on one replica (or the offline rewrap); every field under the new V1.</summary>
    PhaseSingleWriterSave,
}

public enum StepPhase
{
    Started,
    Ended,
    Failed,
}
