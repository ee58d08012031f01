namespace RoboDJ.KeyRotation.Rotation;

/// <summary>Production with broadcasts scheduled inside the window: the operator must have decided to go ahead anyway.</summary>
public sealed class BroadcastsInWindowException(string env, IReadOnlyList<string> broadcasts)
    : Exception($"--env {env}: {broadcasts.Count} broadcast(s) scheduled inside the rotation window: {string.Join(", ", broadcasts)}. " +
                "Pause or watch them (runbook §1), then rerun with --allow-broadcasts; nothing was changed.")
{
    public IReadOnlyList<string> Broadcasts { get; } = broadcasts;
}
