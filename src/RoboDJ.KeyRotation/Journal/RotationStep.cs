namespace RoboDJ.KeyRotation.Journal;

/// <summary>The steps a rotation journals, in the order they happen. Begin and the terminal steps carry no start/end pair.</summary>
public enum RotationStep
{
    Begin,
    Snapshot,
    Stop,
    Shift,
    Rewrap,
    Start,
    Verify,
    Completed,
    Rollback,
    RolledBack,
}

public enum StepPhase
{
    Started,
    Ended,
    Failed,
}
