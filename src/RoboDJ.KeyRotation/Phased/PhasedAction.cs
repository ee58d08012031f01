namespace RoboDJ.KeyRotation.Phased;

/// <summary>What the phased preflight clears the way for: each needs other facts to hold before it may change anything.</summary>
public enum PhasedAction
{
    /// <summary>RotatePhased: no unfinished rotation, every replica runs the keys in .env.</summary>
    Rotate,
    /// <summary>ResumePhased: an unfinished phased rotation, every replica runs a pair of its last or next phase.</summary>
    Resume,
    /// <summary>RollbackPhased: an unfinished phased rotation whose pre-rotation keys can be read; replicas may be broken.</summary>
    Rollback,
}
