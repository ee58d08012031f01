namespace RoboDJ.Pipeline;

/// <summary>What happens to a target's dependencies (and triggers) when the target itself is skipped, as in NUKE.</summary>
public enum DependencyBehavior
{
    /// <summary>The default: skip the dependencies that no other planned, unskipped target needs.</summary>
    Skip,
    /// <summary>Run the dependencies anyway.</summary>
    Execute,
}
