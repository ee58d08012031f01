using System.Runtime.CompilerServices;

namespace RoboDJ.Pipeline;

/// <summary>The fluent DSL a target is declared with. Relations and modifiers follow NUKE's semantics.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    /// <summary>The given targets run before this one, and invoking this one plans them.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>This target runs before the given ones, and invoking any of them plans this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    /// <summary>Ordering only: when both are planned, the given targets run first.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <summary>Ordering only: when both are planned, this target runs first.</summary>
    ITargetDefinition Before(params Target[] targets);
    /// <summary>When this target is planned, the given ones are planned too and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    /// <summary>When any of the given targets is planned, this one is planned too and runs after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>
    /// Evaluated once while planning; false skips the target (its dependencies as <see cref="WhenSkipped"/> says).
    /// <paramref name="skipReason"/> says in words why the target is skipped, as the plan and the summary show it
    /// ("the deployment is not a sandbox"); without it the engine words the expression, never showing it as C#.
    /// Several conditions are checked in order, and the first false one gives the reason.
    /// </summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? skipReason = null, [CallerArgumentExpression(nameof(condition))] string? expression = null);
    /// <summary>
    /// Evaluated right before the target would run; false skips it with <paramref name="skipReason"/> (in words, as for
    /// <see cref="OnlyWhenStatic"/>). A condition that throws fails the target.
    /// </summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? skipReason = null, [CallerArgumentExpression(nameof(condition))] string? expression = null);
    /// <summary>Checked for every planned target before any target runs: false, null, empty fails the build as bad input.</summary>
    ITargetDefinition Requires<T>(Func<T> requirement, [CallerArgumentExpression(nameof(requirement))] string? expression = null);

    /// <summary>
    /// When this target is skipped (--skip or a false condition), its dependencies and triggers that no other planned target
    /// needs are skipped too (<see cref="DependencyBehavior.Skip"/>, NUKE's default) or still run (<see cref="DependencyBehavior.Execute"/>).
    /// </summary>
    ITargetDefinition WhenSkipped(DependencyBehavior behavior);

    /// <summary>
    /// A gate guards every target that depends on it, directly or transitively: those run only after the gate Succeeded
    /// (a failed, skipped or not run gate leaves them NotRun, assured ones included). --skip cannot skip a gate: naming
    /// one is bad input, and skipping a dependent never skips the gate with it. Use it for checks that must never be
    /// walked around, e.g. a preflight or a production confirmation.
    /// </summary>
    ITargetDefinition Gate();

    /// <summary>When this target fails, the remaining targets still run (except those that depend on it).</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even after another target failed or the build was cancelled (Ctrl-C).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>Hidden from --help and the schema, still invocable.</summary>
    ITargetDefinition Unlisted();

    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Action<CancellationToken> action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
