namespace RoboDJ.KeyRotation.Effects;

/// <summary>What a side effect touches: the deployment's files, its processes, an HTTP peer, GitHub, or only the run's log.</summary>
public enum ChangeKind { Files, Process, Http, GitHub, Log }

/// <summary>One change a target makes (or, in a dry run, would make): the preview is a list of these.</summary>
public sealed record PlannedChange(string Target, ChangeKind Kind, string What)
{
    public override string ToString() => $"{Target}: [{Kind.ToString().ToLowerInvariant()}] {What}";
}
