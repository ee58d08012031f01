namespace RoboDJ.KeyRotation.Effects;

/// <summary>A real run: every change is applied.</summary>
public sealed class LiveEffects : IEffects
{
    public bool IsDryRun => false;
    public IReadOnlyList<PlannedChange> Recorded => [];

    public Task<T> ApplyAsync<T>(string target, ChangeKind kind, Func<Task<string>> describe, Func<Task<T>> apply, Func<string, T> standIn) => apply();

    public IDisposable Guard() => EffectGuard.Nothing;
}
