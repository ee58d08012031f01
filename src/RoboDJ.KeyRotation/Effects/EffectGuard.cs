namespace RoboDJ.KeyRotation.Effects;

/// <summary>
/// The backstop behind <see cref="IEffects"/>: each primitive that changes something (a journal or lock write, the
/// store write, a snapshot or restore, the rewrap, a process start or stop, a dashboard save, a GitHub or webhook write)
/// calls <see cref="ThrowIfDryRun"/> first. Engaged for the body of each dry-run target, it turns a change that went
/// around the door into an error before anything is touched. Async-local, so that tests running side by side do not
/// see each other's dry runs.
/// </summary>
public static class EffectGuard
{
    static readonly AsyncLocal<bool> Engaged = new();

    public static IDisposable Nothing { get; } = new Release(null);

    public static bool IsEngaged => Engaged.Value;

    public static IDisposable Engage()
    {
        var previous = Engaged.Value;
        Engaged.Value = true;
        return new Release(previous);
    }

    public static void ThrowIfDryRun(ChangeKind kind, string what)
    {
        if (Engaged.Value) throw new DryRunBreachException(kind, what);
    }

    sealed class Release(bool? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is { } value) Engaged.Value = value;
        }
    }
}
