namespace RoboDJ.KeyRotation.Effects;

/// <summary>
/// The one door every side effect of the workflow goes through: files of the deployment, processes, HTTP writes,
/// GitHub writes. The live door acts; the dry-run door records the change and hands back a stand-in result, so a dry
/// run walks the same code as a real run and its preview is the record.
/// </summary>
public interface IEffects
{
    bool IsDryRun { get; }

    /// <summary>The changes recorded so far (a dry run's preview); empty for the live door.</summary>
    IReadOnlyList<PlannedChange> Recorded { get; }

    /// <summary>
    /// Applies a change, or records it: <paramref name="describe"/> ("would …") and <paramref name="standIn"/>, which gets
    /// that description, run only in a dry run; <paramref name="apply"/> only in a real one.
    /// </summary>
    Task<T> ApplyAsync<T>(string target, ChangeKind kind, Func<Task<string>> describe, Func<Task<T>> apply, Func<string, T> standIn);

    /// <summary>
    /// Guards a target's body: in a dry run, a side effect that goes around this door throws
    /// <see cref="DryRunBreachException"/> before it changes anything (<see cref="EffectGuard"/>).
    /// </summary>
    IDisposable Guard();
}
