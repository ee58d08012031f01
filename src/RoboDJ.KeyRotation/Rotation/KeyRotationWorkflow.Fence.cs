using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    bool fencedRecorded;

    /// <summary>The one journal line of a fenced run (<see cref="RotationLock.RecordFenced"/>), written once.</summary>
    void RecordFenced(RotationLockLostException lost, RotationStep? step)
    {
        if (fencedRecorded || journal is not { } j || rotationLock is not { } held) return;
        fencedRecorded = true;
        held.RecordFenced(j, step, lost);
    }
}
