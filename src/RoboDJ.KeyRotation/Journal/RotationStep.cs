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
}

public enum StepPhase
{
    Started,
    Ended,
    Failed,
}
