namespace RoboDJ.KeyRotation.Effects;

/// <summary>A dry run reached a change that did not go through <see cref="IEffects"/>: a bug, stopped before it changed anything.</summary>
public sealed class DryRunBreachException(ChangeKind kind, string what)
    : InvalidOperationException($"dry run: a change went around the dry-run record and was stopped before it was made " +
        $"({kind.ToString().ToLowerInvariant()}: {what}). Nothing was changed. This is a bug in the pipeline: please report it with this run's log.")
{
    public ChangeKind Kind { get; } = kind;
}
